//! The encoding of every server function's answer: JSON, read in the browser from text.
//!
//! Same bytes on the wire as `server_fn`'s `Json` (`application/json`, `serde_json`), but the
//! browser decodes the answer with `serde_json::from_str` after checking it is UTF-8, where
//! `Json` uses `from_slice`. Hydration already reads every resource with `from_str`, so each
//! answer type then has one deserializer in the WebAssembly instead of two (one per reader):
//! the first visit's bundle is smaller by what the second reader cost (issue 14, item 3).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON as text (see the module docs).
pub struct JsonTextEncoding;

/// The answer protocol of every server function: `#[server(…, output = JsonText)]`.
pub type JsonText = Post<JsonTextEncoding>;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    /// Errors: not UTF-8, or not the JSON of `T`.
    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            <serde_json::Error as serde::de::Error>::custom(format!("the answer is not UTF-8: {e}"))
        })?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn answers_round_trip_and_bad_bytes_are_errors() {
        let values: Vec<Result<Vec<String>, AppError>> = vec![
            Ok(vec!["é ✓ \"quoted\"".to_owned(), String::new()]),
            Err(AppError::invalid("rationale", "Write a rationale.")),
        ];
        for v in values {
            let bytes = <JsonTextEncoding as Encodes<_>>::encode(&v).unwrap();
            let back: Result<Vec<String>, AppError> =
                <JsonTextEncoding as Decodes<_>>::decode(bytes).unwrap();
            assert_eq!(back, v);
        }
        let bad: Result<String, _> =
            <JsonTextEncoding as Decodes<String>>::decode(Bytes::from_static(b"\"\xff\""));
        assert!(bad.is_err());
        let truncated: Result<String, _> =
            <JsonTextEncoding as Decodes<String>>::decode(Bytes::from_static(b"\"abc"));
        assert!(truncated.is_err());
    }
}
