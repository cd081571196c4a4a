use std::fmt;

/// Everything that can go wrong while canonicalizing, signing or verifying.
#[derive(Debug)]
pub enum Error {
    /// The input is not what the algorithm expects (not an object, bad JSON, ...).
    Input(String),
    /// A context URL was requested that is not bundled (the loader never goes to the network).
    ContextNotBundled(String),
    /// JSON-LD expansion / RDF serialization failed.
    JsonLd(String),
    /// "Safe mode": the JSON-LD processor reported something it would silently drop
    /// (an undefined term, a malformed IRI, ...). Such data would not be signed.
    Unsafe(Vec<String>),
    /// RDFC-1.0 canonicalization failed (e.g. the HNDQ call limit for poison graphs).
    Canonicalization(String),
    /// The proof options or the proof found in a secured document are malformed or unsupported.
    Proof(String),
    /// A key or verification method could not be decoded or resolved.
    Key(String),
    /// The verification method is not authorized for the proof purpose or not bound to the issuer.
    NotAuthorized(String),
    /// The Ed25519 signature does not verify.
    BadSignature,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(m) => write!(f, "invalid input: {m}"),
            Error::ContextNotBundled(u) => write!(f, "context not bundled (refused): {u}"),
            Error::JsonLd(m) => write!(f, "JSON-LD processing failed: {m}"),
            Error::Unsafe(w) => write!(f, "JSON-LD safe mode: {}", w.join("; ")),
            Error::Canonicalization(m) => write!(f, "RDFC-1.0 canonicalization failed: {m}"),
            Error::Proof(m) => write!(f, "invalid proof: {m}"),
            Error::Key(m) => write!(f, "key error: {m}"),
            Error::NotAuthorized(m) => write!(f, "not authorized: {m}"),
            Error::BadSignature => write!(f, "signature verification failed"),
        }
    }
}

impl std::error::Error for Error {}
