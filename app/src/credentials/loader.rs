//! A JSON-LD document loader that serves only contexts bundled into the binary.
//!
//! json-ld 0.22 loaders implement `json_ld::JsonLdLoader`
//! (`fn load(&self, url: &Iri) -> Result<JsonLdDocument, JsonLdLoadError>`); any type
//! implementing it is automatically a `json_ld::algorithms::JsonLdEnvironment` (blanket impl),
//! so it can be handed straight to `JsonLdProcessor::expand/to_rdf`. Here we wrap it in our own
//! environment (see `rdf.rs`) to turn processor warnings into errors ("safe mode").

use std::collections::HashMap;
use std::sync::LazyLock;

use json_ld::json_syntax::{JsonParse, JsonValue};
use json_ld::{Iri, IriBuf, JsonLdDocument, JsonLdLoadError, JsonLdLoader};

use super::Error;

/// URL of the VC Data Model 2.0 context (defines `DataIntegrityProof` too).
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// URL of the VC Data Model 1.1 context.
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// Data Integrity context (needed only next to the VC 1.1 context).
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
/// Open Badges 3.0.3 context (the newest one).
pub const OB_V3P0_3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// 1EdTech Comprehensive Learner Record 2.0.1 context (`ClrCredential`, `ClrSubject`,
/// `Association`); listed after the VC 2.0 context and before the OB 3.0.3 one.
pub const CLR_V2P0_2_0_1: &str = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
/// DID Core context.
pub const DID_V1: &str = "https://www.w3.org/ns/did/v1";
/// Multikey context.
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
/// Bitstring Status List context, which VC 1.1 credentials with a status entry need (VC 2.0
/// includes its terms).
pub const STATUS_V1: &str = "https://www.w3.org/ns/credentials/status/v1";
/// Ed25519Signature2020 suite context (for proofs wallets make; we never sign with it).
pub const ED25519_2020_V1: &str = "https://w3id.org/security/suites/ed25519-2020/v1";

/// (URL, JSON text) of every bundled context; the files come byte-exact from npm packages,
/// see `contexts/README.md`.
pub const BUNDLED_CONTEXTS: &[(&str, &str)] = &[
    (
        CREDENTIALS_V2,
        include_str!("contexts/credentials-v2.jsonld"),
    ),
    (
        CREDENTIALS_V1,
        include_str!("contexts/credentials-v1.jsonld"),
    ),
    (
        DATA_INTEGRITY_V2,
        include_str!("contexts/data-integrity-v2.jsonld"),
    ),
    (
        OB_V3P0_3_0_3,
        include_str!("contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        include_str!("contexts/ob-v3p0-context-3.0.2.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        include_str!("contexts/ob-v3p0-context-3.0.1.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        include_str!("contexts/ob-v3p0-context.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        include_str!("contexts/ob-v3p0-extensions.json"),
    ),
    (
        CLR_V2P0_2_0_1,
        include_str!("contexts/clr-v2p0-context-2.0.1.json"),
    ),
    (DID_V1, include_str!("contexts/did-v1.jsonld")),
    (MULTIKEY_V1, include_str!("contexts/multikey-v1.jsonld")),
    (
        ED25519_2020_V1,
        include_str!("contexts/ed25519-signature-2020-v1.jsonld"),
    ),
    (
        STATUS_V1,
        include_str!("contexts/vc-bitstring-status-list-v1.jsonld"),
    ),
];

/// Serves a fixed set of pre-parsed JSON-LD contexts; every other URL is refused.
#[derive(Clone)]
pub struct ContextLoader {
    docs: HashMap<IriBuf, JsonLdDocument>,
}

/// Error cause for a URL that is not bundled.
#[derive(Debug)]
pub struct NotBundled;
impl std::fmt::Display for NotBundled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("context not bundled; remote loading is disabled")
    }
}
impl std::error::Error for NotBundled {}

static BUNDLED: LazyLock<ContextLoader> = LazyLock::new(|| {
    let mut l = ContextLoader::empty();
    for (url, text) in BUNDLED_CONTEXTS {
        l.insert(url, text).expect("bundled context must parse");
    }
    l
});

impl ContextLoader {
    /// A loader that serves nothing.
    pub fn empty() -> Self {
        ContextLoader {
            docs: HashMap::new(),
        }
    }

    /// The loader with every bundled context (parsed once, shared).
    pub fn bundled() -> &'static ContextLoader {
        &BUNDLED
    }

    /// Adds (or replaces) a context served under `url`.
    pub fn insert(&mut self, url: &str, json_text: &str) -> Result<(), Error> {
        let iri =
            IriBuf::new(url.to_owned()).map_err(|e| Error::Input(format!("bad IRI {url}: {e}")))?;
        let (value, _code_map) = JsonValue::parse_str(json_text)
            .map_err(|e| Error::Input(format!("context {url} is not JSON: {e}")))?;
        self.docs
            .insert(iri.clone(), JsonLdDocument::new(Some(iri), None, value));
        Ok(())
    }

    /// Builder form of [`insert`](Self::insert).
    pub fn with(mut self, url: &str, json_text: &str) -> Result<Self, Error> {
        self.insert(url, json_text)?;
        Ok(self)
    }

    /// The URLs this loader serves.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(|k| k.as_str())
    }
}

impl JsonLdLoader for ContextLoader {
    fn load(&self, url: &Iri) -> Result<JsonLdDocument, JsonLdLoadError> {
        match self.docs.get(url) {
            Some(doc) => Ok(doc.clone()),
            None => Err(JsonLdLoadError::new(url.to_owned(), NotBundled)),
        }
    }
}
