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

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_reserved_and_non_ascii() {
        assert_eq!(super::encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
        assert_eq!(super::encode("safe-_.~"), "safe-_.~");
    }
}
