//! Open Badges 3.0 credentials signed with W3C Data Integrity `eddsa-rdfc-2022` (server only).
//!
//! * [`ContextLoader`]: the JSON-LD contexts bundled at build time (`contexts/`, see its
//!   README); nothing else is ever loaded, so signing and verifying never touch the network.
//! * [`rdf`]: JSON-LD expansion in safe mode (undefined terms, relative ids and every warning
//!   are errors, as jsonld.js `safe: true`), RDF, RDFC-1.0 canonical N-Quads (`rdf-canon`).
//! * [`proof`]: create and verify a `DataIntegrityProof`.
//! * [`keys`]: Multikey encodings, did:key, did:web documents and a key resolver.
//! * [`issuer`]: the issuer's DID and profile, and sealing secret keys at rest.
//! * [`ob3`]: the Open Badges 3.0 achievement and credential documents.
//! * [`clr`]: the signed Learning Statement, a CLR 2.0 `ClrCredential` embedding the badges.
//! * [`status`]: the Bitstring Status List used for revocation.
//! * [`jws`]: OID4VCI key proofs (compact JWS, EdDSA, did:key).
//! * [`verify`]: a verification report in words (shape, signature, dates, status).
//! * [`image`], [`bake`]: badge artwork (SVG and PNG) and baking credentials into it.
//!
//! `app/tests/credentials_vector.rs` reproduces the W3C vc-di-eddsa test vector byte for byte.

pub mod bake;
pub mod case;
pub mod clr;
mod error;
pub mod image;
pub mod issuer;
pub mod jws;
pub mod keys;
pub mod loader;
pub mod ob3;
pub mod proof;
pub mod rdf;
pub mod status;
pub mod verify;

pub use error::Error;
pub use keys::{KeyResolver, ResolvedKey, Resolver};
pub use loader::ContextLoader;
pub use proof::{
    create_proof, hash_data, sign, verify_credential, verify_proof, HashData, ProofOptions,
    VerifiedProof,
};
pub use rdf::{canonicalize, expand, expand_to_json, to_quads};
