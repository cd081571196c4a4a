//! W3C Bitstring Status List v1.0: the revocation list every credential points into.
//!
//! The list is 131,072 bits (16 KB, the specification's minimum for herd privacy); bit `i` is
//! the `i`-th bit counting from the most significant bit of the first byte. `encodedList` is
//! the multibase base64url (no padding, prefix `u`) of the GZIP of the bits.

use base64::Engine as _;
use serde_json::{json, Value};

use super::Error;

/// Entries in a list.
pub const LIST_BITS: usize = 131_072;

/// A list of revocation bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitstring(Vec<u8>);

impl Default for Bitstring {
    fn default() -> Self {
        Self(vec![0; LIST_BITS / 8])
    }
}

impl Bitstring {
    /// Sets bit `index` (ignored past the end).
    pub fn set(&mut self, index: usize) {
        if let Some(byte) = self.0.get_mut(index / 8) {
            *byte |= 0x80 >> (index % 8);
        }
    }

    /// Whether bit `index` is set (false past the end).
    pub fn get(&self, index: usize) -> bool {
        self.0
            .get(index / 8)
            .is_some_and(|b| b & (0x80 >> (index % 8)) != 0)
    }

    /// `u` + base64url(gzip(bits)).
    pub fn encode(&self) -> String {
        format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gzip(&self.0))
        )
    }

    /// Decodes an `encodedList`.
    pub fn decode(encoded: &str) -> Result<Self, Error> {
        let bad = |m: &str| Error::Input(format!("encodedList: {m}"));
        let b64 = encoded
            .strip_prefix('u')
            .ok_or_else(|| bad("not multibase base64url"))?;
        let zipped = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64.trim_end_matches('='))
            .map_err(|_| bad("bad base64url"))?;
        let bits = gunzip(&zipped, LIST_BITS).ok_or_else(|| bad("bad GZIP data"))?;
        Ok(Self(bits))
    }
}

/// GZIP (RFC 1952) of `data`: header, raw DEFLATE, CRC-32, size.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 9));
    out.extend(crc32fast::hash(data).to_le_bytes());
    out.extend(u32::try_from(data.len()).unwrap_or(u32::MAX).to_le_bytes());
    out
}

/// Inflates a GZIP member with no optional header fields, at most `max` bytes.
fn gunzip(data: &[u8], max: usize) -> Option<Vec<u8>> {
    if data.len() < 18 || data[..3] != [0x1f, 0x8b, 8] {
        return None;
    }
    let flags = data[3];
    let mut at = 10;
    if flags & 0x04 != 0 {
        let extra = usize::from(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]));
        at += 2 + extra;
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            at += data.get(at..)?.iter().position(|&b| b == 0)? + 1;
        }
    }
    if flags & 0x02 != 0 {
        at += 2;
    }
    let body = data.get(at..data.len().checked_sub(8)?)?;
    let out = miniz_oxide::inflate::decompress_to_vec_with_limit(body, max).ok()?;
    let crc = u32::from_le_bytes(data[data.len() - 8..data.len() - 4].try_into().ok()?);
    (crc32fast::hash(&out) == crc).then_some(out)
}

/// The unsigned `BitstringStatusListCredential` for `url` (`…/credentials/status/1`).
pub fn list_credential(url: &str, issuer_did: &str, valid_from: &str, bits: &Bitstring) -> Value {
    json!({
        "@context": [super::loader::CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": bits.encode(),
        },
    })
}

/// The `credentialStatus` entry of the credential at `index` of the list at `url`.
pub fn list_entry(url: &str, index: i64) -> Value {
    json!({
        "id": format!("{url}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": index.to_string(),
        "statusListCredential": url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_through_the_encoding() {
        let mut bits = Bitstring::default();
        for i in [0, 7, 8, 4_242, LIST_BITS - 1] {
            bits.set(i);
        }
        let encoded = bits.encode();
        assert!(encoded.starts_with('u'));
        // 16 KB of mostly zeros compresses to almost nothing.
        assert!(encoded.len() < 200, "{}", encoded.len());
        let back = Bitstring::decode(&encoded).expect("decodes");
        assert_eq!(back, bits);
        assert!(back.get(0) && back.get(7) && back.get(8) && back.get(4_242));
        assert!(!back.get(1) && !back.get(4_241) && !back.get(LIST_BITS));
        // Most significant bit first.
        assert_eq!(back.0[0], 0b1000_0001);
    }

    #[test]
    fn damaged_lists_are_refused() {
        let encoded = Bitstring::default().encode();
        assert!(Bitstring::decode(&encoded[1..]).is_err());
        let mut zipped = gzip(&[0; 16]);
        let n = zipped.len();
        zipped[n - 6] ^= 1; // CRC
        assert!(gunzip(&zipped, 100).is_none());
        assert_eq!(gunzip(&gzip(b"hello"), 100).as_deref(), Some(&b"hello"[..]));
    }
}
