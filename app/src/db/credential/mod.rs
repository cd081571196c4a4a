//! Credentials: the issuer's keys, awarding badges when competencies are judged Competent,
//! the revocation status list, revocation, and what the public and the holder see.

use super::review::COORDINATOR_COHORTS;
use super::{audit, now_ms, Db};
use crate::credentials::issuer::{did_web_for, generate_key, Issuer, SealingKey};
use crate::credentials::keys::{public_key_multibase, Resolver};
use crate::credentials::ob3::{
    self, AchievementDef, AlignmentDef, AwardDef, EvidenceDef, IndicatorDef,
};
use crate::credentials::status::{self, Bitstring, LIST_BITS};
use crate::credentials::verify::{self, StatusAnswer};
use crate::credentials::{sign, ContextLoader, ProofOptions};
use crate::domain::assessment::{RubricLevel, Snapshot};
use crate::domain::credential::{
    linkedin_url, CohortCredential, CredentialPage, MyCredential, Revocation, Verification,
};
use crate::domain::ids::{CompetencyId, UserId};
use crate::domain::review::Marking;
use crate::domain::time::{utc_date, xsd_date_time};
use anyhow::Context as _;
use serde_json::{json, Value};
use sqlx::{Any, Transaction};

mod achievement;
mod award;
mod holder;
mod keys;
mod oid4vci;
mod oid4vci_metadata;
mod public;
mod record;
mod revoke;
mod status_list;
mod wallet;
mod wallet_offer;
pub use achievement::*;
pub use award::*;
pub use holder::*;
pub use keys::*;
pub use oid4vci::*;
pub use oid4vci_metadata::*;
pub use public::*;
pub use record::*;
pub use revoke::*;
pub use status_list::*;
pub use wallet::*;
pub use wallet_offer::*;

/// What the server is configured with to issue credentials.
#[derive(Clone, Debug)]
pub struct IssuerSettings {
    /// The public base URL (the DID derives from its host).
    pub base_url: String,
    /// The institution's name in credentials.
    pub name: String,
    /// The key sealing issuer secrets at rest.
    pub sealing: SealingKey,
    /// The institution's LinkedIn organisation id (`ISSUER_LINKEDIN_ID`), if configured.
    pub linkedin_organization: Option<String>,
}

/// The one status list (131,072 entries); more lists are a matter of this number.
pub const STATUS_LIST: i64 = 1;
/// Key of the whole micro-credential's achievement.
pub const WHOLE: &str = "micro-credential";

/// URL of a status list.
pub fn status_list_url(base: &str, list: i64) -> String {
    format!("{base}/credentials/status/{list}")
}

/// URL of a credential (its id and public page).
pub fn credential_url(base: &str, public_id: &str) -> String {
    format!("{base}/credentials/{public_id}")
}

/// URL of an achievement: `<base>/achievements/<framework>/<key>`.
pub fn achievement_url(base: &str, framework: &str, key: &str) -> String {
    format!("{base}/achievements/{framework}/{key}")
}

/// URL of an achievement's image: the PNG, which every displayer shows (some show no SVG);
/// the same artwork is published as SVG at the same path with `.svg`.
pub fn image_url(base: &str, framework: &str, key: &str) -> String {
    format!("{base}/badges/{framework}/{key}.png")
}
