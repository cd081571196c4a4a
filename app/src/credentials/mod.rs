//! Open Badges 3.0 credentials signed with W3C Data Integrity `eddsa-rdfc-2022` (server only).
//!
//! * [`ContextLoader`]: the JSON-LD contexts bundled at build time (`contexts/`, see its
//!   README); nothing else is ever loaded, so signing and verifying never touch the network.
//! * [`rdf`]: JSON-LD expansion in safe mode (undefined terms, relative ids and every warning
//!   are errors, as jsonld.js `safe: true`), RDF, RDFC-1.0 canonical N-Quads (`rdf-canon`).
//! * [`proof`]: create and verify a `DataIntegrityProof`.
//! * [`keys`]: Multikey encodings, did:key, did:web documents and a key resolver.
//!
//! `app/tests/credentials_vector.rs` reproduces the W3C vc-di-eddsa test vector byte for byte.

mod error;
pub mod keys;
pub mod loader;
pub mod proof;
pub mod rdf;

pub use error::Error;
pub use keys::{KeyResolver, ResolvedKey, Resolver};
pub use loader::ContextLoader;
pub use proof::{
    create_proof, hash_data, sign, verify_credential, verify_proof, HashData, ProofOptions,
    VerifiedProof,
};
pub use rdf::{canonicalize, expand, expand_to_json, to_quads};
