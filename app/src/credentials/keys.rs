//! Multikey / multibase encodings of Ed25519 keys, did:key and did:web helpers, key resolution.

use std::collections::HashMap;

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::{json, Value};

use super::Error;

/// Multicodec varint prefix of an Ed25519 public key (0xed).
pub const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec varint prefix of an Ed25519 private key (0x1300).
pub const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];

/// Multibase base58btc: 'z' + base58btc(bytes).
pub fn multibase_encode(bytes: &[u8]) -> String {
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Decodes a multibase base58btc ('z' prefix) string; any other base is refused.
pub fn multibase_decode(s: &str) -> Result<Vec<u8>, Error> {
    let rest = s
        .strip_prefix('z')
        .ok_or_else(|| Error::Key(format!("not multibase base58btc: {s}")))?;
    bs58::decode(rest)
        .into_vec()
        .map_err(|e| Error::Key(format!("bad base58btc: {e}")))
}

/// 'z' + base58btc(`prefix` || 32 key bytes): the Multikey encoding.
fn multikey_encode(prefix: &[u8], key: &[u8; 32]) -> String {
    let mut b = prefix.to_vec();
    b.extend_from_slice(key);
    multibase_encode(&b)
}

/// The 32 key bytes of a Multikey with `prefix`; `what` names the key in errors.
fn multikey_decode(s: &str, prefix: &[u8], what: &str) -> Result<[u8; 32], Error> {
    let b = multibase_decode(s)?;
    let raw = b.strip_prefix(prefix).ok_or_else(|| {
        Error::Key(format!(
            "not an Ed25519 {what} multikey (prefix 0x{})",
            prefix
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
        ))
    })?;
    raw.try_into()
        .map_err(|_| Error::Key(format!("an Ed25519 {what} key must be 32 bytes")))
}

/// Multikey `publicKeyMultibase`: 'z' + base58btc(0xed01 || 32-byte key).
pub fn public_key_multibase(key: &VerifyingKey) -> String {
    multikey_encode(&ED25519_PUB_PREFIX, key.as_bytes())
}

/// The public key of a `publicKeyMultibase`.
pub fn decode_public_key_multibase(s: &str) -> Result<VerifyingKey, Error> {
    let raw = multikey_decode(s, &ED25519_PUB_PREFIX, "public")?;
    VerifyingKey::from_bytes(&raw).map_err(|e| Error::Key(e.to_string()))
}

/// Multikey `secretKeyMultibase`: 'z' + base58btc(0x8026 || 32-byte seed).
pub fn secret_key_multibase(key: &SigningKey) -> String {
    multikey_encode(&ED25519_PRIV_PREFIX, key.as_bytes())
}

/// The signing key of a `secretKeyMultibase`.
pub fn decode_secret_key_multibase(s: &str) -> Result<SigningKey, Error> {
    Ok(SigningKey::from_bytes(&multikey_decode(
        s,
        &ED25519_PRIV_PREFIX,
        "secret",
    )?))
}

/// `did:key:z6Mk...`
pub fn did_key(key: &VerifyingKey) -> String {
    format!("did:key:{}", public_key_multibase(key))
}

/// `did:key:z6Mk...#z6Mk...` (the verification method id of a did:key).
pub fn did_key_verification_method(key: &VerifyingKey) -> String {
    let mb = public_key_multibase(key);
    format!("did:key:{mb}#{mb}")
}

/// `did:web:example.com%3A8443:issuers:1` -> `https://example.com:8443/issuers/1/did.json`
/// (`did:web:example.com` -> `https://example.com/.well-known/did.json`).
pub fn did_web_url(did: &str) -> Result<String, Error> {
    let rest = did
        .strip_prefix("did:web:")
        .ok_or_else(|| Error::Key(format!("not did:web: {did}")))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let mut parts = rest.split(':');
    let host = parts
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Error::Key("empty did:web host".into()))?;
    let host = host.replace("%3A", ":").replace("%3a", ":");
    let path: Vec<&str> = parts.collect();
    Ok(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// A minimal did.json for a did:web issuer with one Ed25519 Multikey usable for
/// `assertionMethod` (and `authentication`).
pub fn did_web_document(did: &str, key_fragment: &str, key: &VerifyingKey) -> Value {
    let vm = format!("{did}#{key_fragment}");
    json!({
        "@context": [super::loader::DID_V1, super::loader::MULTIKEY_V1],
        "id": did,
        "verificationMethod": [{
            "id": vm,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key),
        }],
        "assertionMethod": [vm],
        "authentication": [vm],
    })
}

/// A verification method resolved to a key, with its controller (a DID).
#[derive(Debug, Clone)]
pub struct ResolvedKey {
    pub controller: String,
    pub key: VerifyingKey,
}

/// Resolves a verification method id to an Ed25519 key authorized for `proof_purpose`.
pub trait KeyResolver {
    fn resolve(&self, verification_method: &str, proof_purpose: &str)
        -> Result<ResolvedKey, Error>;
}

/// did:key: the key is in the identifier, and the fragment must repeat it.
pub fn resolve_did_key(verification_method: &str) -> Result<ResolvedKey, Error> {
    let (did, fragment) = verification_method
        .split_once('#')
        .ok_or_else(|| Error::Key("did:key verification method needs a fragment".into()))?;
    let mb = did
        .strip_prefix("did:key:")
        .ok_or_else(|| Error::Key(format!("not did:key: {did}")))?;
    if fragment != mb {
        return Err(Error::Key("did:key fragment does not match the key".into()));
    }
    Ok(ResolvedKey {
        controller: did.to_owned(),
        key: decode_public_key_multibase(mb)?,
    })
}

/// Resolves did:key directly and other DIDs (did:web) from DID documents given beforehand
/// (e.g. fetched and cached by the application; this crate never goes to the network).
#[derive(Default, Clone)]
pub struct Resolver {
    documents: HashMap<String, Value>,
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a DID document (its `id` is the DID).
    pub fn with_did_document(mut self, doc: Value) -> Result<Self, Error> {
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Key("DID document without id".into()))?;
        self.documents.insert(id.to_owned(), doc);
        Ok(self)
    }
}

fn absolute(did: &str, id: &str) -> String {
    if id.starts_with('#') {
        format!("{did}{id}")
    } else {
        id.to_owned()
    }
}

impl KeyResolver for Resolver {
    fn resolve(&self, vm_id: &str, proof_purpose: &str) -> Result<ResolvedKey, Error> {
        if vm_id.starts_with("did:key:") {
            return resolve_did_key(vm_id);
        }
        let did = vm_id.split('#').next().unwrap_or(vm_id);
        let doc = self
            .documents
            .get(did)
            .ok_or_else(|| Error::Key(format!("unknown DID {did}")))?;
        // The verification method must be listed (by reference or embedded) under the purpose.
        let authorized = doc
            .get(proof_purpose)
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter().any(|e| match e {
                    Value::String(s) => absolute(did, s) == vm_id,
                    Value::Object(o) => {
                        o.get("id")
                            .and_then(Value::as_str)
                            .map(|s| absolute(did, s))
                            .as_deref()
                            == Some(vm_id)
                    }
                    _ => false,
                })
            });
        if !authorized {
            return Err(Error::NotAuthorized(format!(
                "{vm_id} is not listed under {proof_purpose} in {did}"
            )));
        }
        let candidates = doc
            .get("verificationMethod")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(
                doc.get(proof_purpose)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|v| v.is_object()),
            );
        let vm = candidates
            .filter_map(Value::as_object)
            .find(|o| {
                o.get("id")
                    .and_then(Value::as_str)
                    .map(|s| absolute(did, s))
                    .as_deref()
                    == Some(vm_id)
            })
            .ok_or_else(|| Error::Key(format!("verification method {vm_id} not found")))?;
        if vm.get("type").and_then(Value::as_str) != Some("Multikey") {
            return Err(Error::Key("verification method is not a Multikey".into()));
        }
        if vm.get("controller").and_then(Value::as_str) != Some(did) {
            return Err(Error::NotAuthorized(
                "verification method controller is not the DID".into(),
            ));
        }
        let mb = vm
            .get("publicKeyMultibase")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Key("no publicKeyMultibase".into()))?;
        Ok(ResolvedKey {
            controller: did.to_owned(),
            key: decode_public_key_multibase(mb)?,
        })
    }
}
