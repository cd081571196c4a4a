//! W3C Data Integrity EdDSA Cryptosuites v1.0, `eddsa-rdfc-2022`:
//! create-proof and verify-proof (with the transformation, hashing, proof configuration and
//! proof serialization/verification steps of §3.2 / §3.3 of the spec).
//!
//! Verification also accepts `Ed25519Signature2020` (W3C CCG Ed25519 Signature 2020): the same
//! RDFC-1.0 canonicalization, hashing and Ed25519 signature, with the suite named by the proof's
//! `type` and no `cryptosuite`. Wallets such as the Learner Credential Wallet sign their DID
//! authentication presentations with it; we never sign with it.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::keys::{multibase_decode, multibase_encode, KeyResolver};
use super::{rdf, ContextLoader, Error};

pub const PROOF_TYPE: &str = "DataIntegrityProof";
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// The older Linked Data proof type, verified but never produced.
pub const ED25519_SIGNATURE_2020: &str = "Ed25519Signature2020";

/// The proof suites this module verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suite {
    /// `DataIntegrityProof` with `cryptosuite: eddsa-rdfc-2022`.
    EddsaRdfc2022,
    /// `Ed25519Signature2020`.
    Ed25519Signature2020,
}

impl Suite {
    /// The name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Suite::EddsaRdfc2022 => CRYPTOSUITE,
            Suite::Ed25519Signature2020 => ED25519_SIGNATURE_2020,
        }
    }
}

/// Proof options chosen by the signer.
#[derive(Debug, Clone)]
pub struct ProofOptions {
    /// e.g. `did:key:z6Mk…#z6Mk…` or `did:web:example.com#key-1`.
    pub verification_method: String,
    /// Usually `assertionMethod` for credentials.
    pub proof_purpose: String,
    /// XML Schema dateTime, e.g. `2024-01-01T00:00:00Z`.
    pub created: Option<String>,
}

impl ProofOptions {
    pub fn assertion(verification_method: impl Into<String>, created: Option<String>) -> Self {
        ProofOptions {
            verification_method: verification_method.into(),
            proof_purpose: "assertionMethod".into(),
            created,
        }
    }

    /// The proof options as the JSON object that becomes the proof (without `proofValue`).
    pub fn to_json(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), PROOF_TYPE.into());
        m.insert("cryptosuite".into(), CRYPTOSUITE.into());
        if let Some(c) = &self.created {
            m.insert("created".into(), c.clone().into());
        }
        m.insert(
            "verificationMethod".into(),
            self.verification_method.clone().into(),
        );
        m.insert("proofPurpose".into(), self.proof_purpose.clone().into());
        m
    }
}

/// Intermediate values of the hashing step (exposed for test vectors and debugging).
#[derive(Debug, Clone)]
pub struct HashData {
    pub canonical_proof_config: String,
    pub canonical_document: String,
    pub proof_config_hash: [u8; 32],
    pub document_hash: [u8; 32],
}

impl HashData {
    /// sha256(canonical proof config) || sha256(canonical document): the bytes that get signed.
    pub fn bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.proof_config_hash);
        out[32..].copy_from_slice(&self.document_hash);
        out
    }
}

/// What a successful verification established.
#[derive(Debug, Clone)]
pub struct VerifiedProof {
    pub verification_method: String,
    /// The DID controlling the key.
    pub controller: String,
    pub proof_purpose: String,
    pub created: Option<String>,
    /// Which suite the proof used.
    pub suite: Suite,
}

/// Loose check of the XML Schema dateTime lexical form: `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)?`.
pub fn is_xsd_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if b.len() < 19
        || !(digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T')
        || !(digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19))
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &r[n..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn check_options(options: &Map<String, Value>) -> Result<Suite, Error> {
    let suite = match options.get("type").and_then(Value::as_str) {
        Some(PROOF_TYPE) => {
            if options.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE) {
                return Err(Error::Proof(format!("cryptosuite must be {CRYPTOSUITE}")));
            }
            Suite::EddsaRdfc2022
        }
        Some(ED25519_SIGNATURE_2020) => {
            if options.contains_key("cryptosuite") {
                return Err(Error::Proof(format!(
                    "{ED25519_SIGNATURE_2020} proofs have no cryptosuite"
                )));
            }
            Suite::Ed25519Signature2020
        }
        _ => {
            return Err(Error::Proof(format!(
                "type must be {PROOF_TYPE} ({CRYPTOSUITE}) or {ED25519_SIGNATURE_2020}"
            )))
        }
    };
    if options
        .get("created")
        .is_some_and(|c| !c.as_str().is_some_and(is_xsd_date_time))
    {
        return Err(Error::Proof("created is not an XML Schema dateTime".into()));
    }
    Ok(suite)
}

/// Transformation + proof configuration + hashing (spec §3.2.3–3.2.5).
/// `options` is the proof without `proofValue`; its `@context` (if any) is replaced by the
/// document's.
pub fn hash_data(
    unsecured: &Value,
    options: &Map<String, Value>,
    loader: &ContextLoader,
) -> Result<HashData, Error> {
    check_options(options)?;
    let doc = unsecured
        .as_object()
        .ok_or_else(|| Error::Input("document must be a JSON object".into()))?;
    if doc.contains_key("proof") {
        return Err(Error::Input(
            "unsecured document must not contain a proof".into(),
        ));
    }
    let context = doc
        .get("@context")
        .ok_or_else(|| Error::Input("document has no @context".into()))?;
    let mut config = options.clone();
    config.insert("@context".into(), context.clone());
    let canonical_proof_config = rdf::canonicalize(&Value::Object(config), loader)?;
    let canonical_document = rdf::canonicalize(unsecured, loader)?;
    Ok(HashData {
        proof_config_hash: Sha256::digest(canonical_proof_config.as_bytes()).into(),
        document_hash: Sha256::digest(canonical_document.as_bytes()).into(),
        canonical_proof_config,
        canonical_document,
    })
}

/// Create Proof (eddsa-rdfc-2022): returns the proof object (with `proofValue`).
pub fn create_proof(
    unsecured: &Value,
    options: &ProofOptions,
    key: &SigningKey,
    loader: &ContextLoader,
) -> Result<Value, Error> {
    let mut proof = options.to_json();
    let hash = hash_data(unsecured, &proof, loader)?;
    let signature = key.sign(&hash.bytes());
    proof.insert(
        "proofValue".into(),
        multibase_encode(&signature.to_bytes()).into(),
    );
    Ok(Value::Object(proof))
}

/// Signs a credential: returns a copy with `proof` added.
pub fn sign(
    unsecured: &Value,
    options: &ProofOptions,
    key: &SigningKey,
    loader: &ContextLoader,
) -> Result<Value, Error> {
    let proof = create_proof(unsecured, options, key, loader)?;
    let mut secured = unsecured.clone();
    secured
        .as_object_mut()
        .ok_or_else(|| Error::Input("document must be a JSON object".into()))?
        .insert("proof".into(), proof);
    Ok(secured)
}

/// Verify Proof (eddsa-rdfc-2022 §3.3.2, or Ed25519Signature2020) for a document carrying one
/// proof, or a proof set (`proof` as an array, VC Data Integrity §4.2): then each proof is
/// checked against the document without any proof and the first valid one is returned; if
/// none is valid, the error of the first. Checks type, cryptosuite, the expected proof purpose,
/// resolves the key through `resolver` (which checks the method is authorized for the purpose)
/// and verifies the Ed25519 signature. Errors: [`Error::Proof`] (missing or malformed proof),
/// [`Error::Key`]/[`Error::NotAuthorized`] (key), [`Error::BadSignature`], and JSON-LD errors.
pub fn verify_proof(
    secured: &Value,
    expected_proof_purpose: &str,
    resolver: &dyn KeyResolver,
    loader: &ContextLoader,
) -> Result<VerifiedProof, Error> {
    verify_proofs(secured, loader, &mut |proof| {
        let purpose = proof
            .get("proofPurpose")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if purpose != expected_proof_purpose {
            return Err(Error::Proof(format!(
                "proofPurpose {purpose:?} is not {expected_proof_purpose:?}"
            )));
        }
        let vm = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Proof("verificationMethod missing".into()))?;
        resolver.resolve(vm, purpose)
    })
}

/// Checks a proof's own terms (purpose, challenge, …) and resolves its key.
type AcceptProof<'a> = dyn FnMut(&Map<String, Value>) -> Result<super::ResolvedKey, Error> + 'a;

/// Most proofs a proof set may hold to be checked (each costs a canonicalization).
pub const MAX_PROOFS: usize = 4;

/// Verifies each proof of `secured` in turn with `accept`, which checks the proof's own terms
/// and returns its key; returns the first proof whose signature verifies.
fn verify_proofs(
    secured: &Value,
    loader: &ContextLoader,
    accept: &mut AcceptProof<'_>,
) -> Result<VerifiedProof, Error> {
    let doc = secured
        .as_object()
        .ok_or_else(|| Error::Input("document must be a JSON object".into()))?;
    let mut unsecured = doc.clone();
    let proofs = match unsecured.remove("proof") {
        Some(Value::Object(p)) => vec![p],
        Some(Value::Array(items)) if items.is_empty() => {
            return Err(Error::Proof("no proof".into()))
        }
        Some(Value::Array(items)) if items.len() > MAX_PROOFS => {
            return Err(Error::Proof(format!(
                "more than {MAX_PROOFS} proofs in a proof set"
            )))
        }
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|p| match p {
                Value::Object(p) => Ok(p),
                _ => Err(Error::Proof("a proof in the set is not an object".into())),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(Error::Proof("no proof".into())),
    };
    let mut first_error = None;
    for proof in proofs {
        match verify_one(&unsecured, proof, loader, accept) {
            Ok(v) => return Ok(v),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| Error::Proof("no proof".into())))
}

fn verify_one(
    unsecured: &Map<String, Value>,
    proof: Map<String, Value>,
    loader: &ContextLoader,
    accept: &mut AcceptProof<'_>,
) -> Result<VerifiedProof, Error> {
    let mut unsecured = unsecured.clone();
    let mut options = proof;
    let proof_value = match options.remove("proofValue") {
        Some(Value::String(s)) => s,
        _ => return Err(Error::Proof("proofValue missing".into())),
    };
    let suite = check_options(&options)?;
    let resolved = accept(&options)?;
    let vm = options
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Proof("verificationMethod missing".into()))?
        .to_owned();
    let purpose = options
        .get("proofPurpose")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // Spec: if the proof has an @context, the document's @context must start with it, and the
    // proof's @context is then used for the unsecured document.
    if let Some(pctx) = options.remove("@context") {
        let as_list = |v: &Value| match v {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        let p = as_list(&pctx);
        let d = as_list(unsecured.get("@context").unwrap_or(&Value::Null));
        if d.len() < p.len() || d[..p.len()] != p[..] {
            return Err(Error::Proof(
                "proof @context is not a prefix of the document @context".into(),
            ));
        }
        unsecured.insert("@context".into(), pctx);
    }
    let bytes = multibase_decode(&proof_value).map_err(|e| Error::Proof(e.to_string()))?;
    let signature = Signature::from_slice(&bytes)
        .map_err(|_| Error::Proof("proofValue is not 64 bytes".into()))?;
    let hash = hash_data(&Value::Object(unsecured), &options, loader)?;
    resolved
        .key
        .verify(&hash.bytes(), &signature)
        .map_err(|_| Error::BadSignature)?;
    Ok(VerifiedProof {
        verification_method: vm,
        controller: resolved.controller,
        proof_purpose: purpose,
        created: options
            .get("created")
            .and_then(Value::as_str)
            .map(str::to_owned),
        suite,
    })
}

/// DID Authentication (VC API exchanges, "DIDAuthentication" query): verifies a
/// `VerifiablePresentation` signed by its holder for `authentication`, with the `challenge`
/// and `domain` the verifier gave. Accepts eddsa-rdfc-2022 and Ed25519Signature2020 proofs,
/// VC 1.1 or 2.0 contexts, holders identified by `did:key` only (the key is in the DID, so
/// nothing is fetched). Returns the holder's DID. Errors: [`Error::Input`] (not a
/// presentation, no holder), [`Error::Proof`] (wrong purpose, challenge or domain; a key that
/// is not the holder's), [`Error::BadSignature`], JSON-LD errors.
pub fn verify_did_auth(
    presentation: &Value,
    challenge: &str,
    domain: &str,
    loader: &ContextLoader,
) -> Result<VerifiedProof, Error> {
    let types = match presentation.get("type") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    if !types.contains(&"VerifiablePresentation") {
        return Err(Error::Input("not a VerifiablePresentation".into()));
    }
    let holder = match presentation.get("holder") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    };
    if !holder.starts_with("did:key:") {
        return Err(Error::Input(
            "the presentation's holder is not a did:key".into(),
        ));
    }
    verify_proofs(presentation, loader, &mut |proof| {
        let field = |k: &str| proof.get(k).and_then(Value::as_str).unwrap_or_default();
        if field("proofPurpose") != "authentication" {
            return Err(Error::Proof("proofPurpose is not authentication".into()));
        }
        if field("challenge") != challenge || challenge.is_empty() {
            return Err(Error::Proof("the challenge is not the one given".into()));
        }
        if field("domain") != domain {
            return Err(Error::Proof("the domain is not this service's".into()));
        }
        let vm = field("verificationMethod");
        if vm.split('#').next() != Some(holder) {
            return Err(Error::Proof("the proof's key is not the holder's".into()));
        }
        super::keys::resolve_did_key(vm)
    })
}

/// Verifies a credential's proof for `assertionMethod` and that the key's controller is the
/// credential's issuer (`issuer` or `issuer.id`).
pub fn verify_credential(
    secured: &Value,
    resolver: &dyn KeyResolver,
    loader: &ContextLoader,
) -> Result<VerifiedProof, Error> {
    let issuer = match secured.get("issuer") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    };
    let verified = verify_proof(secured, "assertionMethod", resolver, loader)?;
    if verified.controller != issuer {
        return Err(Error::NotAuthorized(format!(
            "key controller {} is not the issuer {issuer:?}",
            verified.controller
        )));
    }
    Ok(verified)
}
