//! Percent-encoding for query values (RFC 3986 unreserved characters pass through).

/// Encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes what [`encode`] wrote (`%XX` escapes); `None` for a broken escape or bytes that are
/// not UTF-8.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decode_undoes_encode() {
        for s in ["", "a b&c=é", "100% sure | 😀", "%", "line\nbreak"] {
            assert_eq!(super::decode(&super::encode(s)).as_deref(), Some(s));
        }
        assert_eq!(super::decode("%G1"), None);
        assert_eq!(super::decode("%4"), None);
        assert_eq!(super::decode("%FF"), None);
    }

    #[test]
    fn encodes_reserved_and_non_ascii() {
        assert_eq!(super::encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
        assert_eq!(super::encode("safe-_.~"), "safe-_.~");
    }
}
