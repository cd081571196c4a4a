//! Credentials as pages show them: verification reports, the holder's list, a cohort's list.

use serde::{Deserialize, Serialize};

/// The outcome of verifying a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Signed by its issuer, unchanged, in its validity period, not revoked.
    Valid,
    /// Not a credential, changed since signing, or not signed by its issuer.
    Invalid,
    /// Its issuer revoked it.
    Revoked,
    /// Past its `validUntil`.
    Expired,
    /// Before its `validFrom`.
    NotYetValid,
    /// Recognised but not checkable here (a JWT credential, an Open Badges 2.0 assertion, an
    /// issuer whose keys or status list this verifier does not fetch): not called invalid.
    CannotCheck,
}

impl Verdict {
    /// One word for the result.
    pub fn label(self) -> &'static str {
        match self {
            Self::Valid => crate::t!(labels.verdict_valid),
            Self::Invalid => crate::t!(labels.verdict_invalid),
            Self::Revoked => crate::t!(labels.verdict_revoked),
            Self::Expired => crate::t!(labels.verdict_expired),
            Self::NotYetValid => crate::t!(labels.verdict_not_yet_valid),
            Self::CannotCheck => crate::t!(labels.verdict_cannot_check),
        }
    }

    /// CSS modifier and stable test hook.
    pub fn key(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::NotYetValid => "not-yet-valid",
            Self::CannotCheck => "cannot-check",
        }
    }
}

/// One check of a verification, with what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// What was checked.
    pub label: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, in words.
    pub detail: String,
}

/// An indicator result as the credential states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    /// The indicator (with its competency).
    pub indicator: String,
    /// The rubric level achieved.
    pub level: String,
}

/// A competency the achievement aligns to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignmentRow {
    /// Competency name.
    pub name: String,
    /// Its public page.
    pub url: String,
    /// Where the framework is published for other systems: the competency's CASE item
    /// (`targetType` `CFItem` in the same credential), when there is one.
    pub case_item: Option<String>,
}

/// What a credential says, read from the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialSummary {
    /// The credential's id.
    pub id: String,
    /// Achievement name.
    pub name: String,
    /// Achievement description.
    pub description: String,
    /// Criteria narrative.
    pub criteria: String,
    /// Image URL.
    pub image: String,
    /// Image caption.
    pub caption: String,
    /// Issuer name.
    pub issuer_name: String,
    /// Issuer id (a DID).
    pub issuer_id: String,
    /// Issuer web site.
    pub issuer_url: String,
    /// `validFrom`.
    pub valid_from: String,
    /// `validUntil`, if any.
    pub valid_until: Option<String>,
    /// Indicator results.
    pub results: Vec<ResultRow>,
    /// Competencies aligned.
    pub alignments: Vec<AlignmentRow>,
    /// Evidence descriptions: (name, description), or (name, narrative) where the evidence
    /// states its content (a signed Learning Statement's parts).
    pub evidence: Vec<(String, String)>,
    /// The credentials a CLR 2.0 record embeds (empty for a badge).
    #[serde(default)]
    pub contains: Vec<ContainedRow>,
}

/// A credential embedded in a CLR 2.0 record, with its own verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainedRow {
    /// Its achievement's name.
    pub name: String,
    /// Its id (for ours, its public page).
    pub url: String,
    /// Its own verdict (`None` until verified).
    pub verdict: Option<Verdict>,
    /// Why, in one sentence.
    pub reason: String,
    /// The achievement it is part of, by name, when the record says so (an `isPartOf`
    /// association).
    pub part_of: Option<String>,
}

/// A verification report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The outcome.
    pub verdict: Verdict,
    /// Why, in one sentence.
    pub reason: String,
    /// Each check made.
    pub checks: Vec<Check>,
    /// What the credential says (when it could be read).
    pub summary: Option<CredentialSummary>,
    /// The DID whose key the signature verified with (`None` when it did not verify).
    #[serde(default)]
    pub signer: Option<String>,
    /// Why the signature could not be accepted, as a code (`None` when it verified):
    /// `tampered` (changed after signing), `cannot-check` (a proof or context this verifier
    /// does not support), `unknown-issuer` (an issuer whose keys are not known here),
    /// `not-issuers-key` (signed with a key that is not the issuer's).
    #[serde(default)]
    pub signature_problem: Option<String>,
}

/// A revocation as the public page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// When (`2026-11-23`).
    pub on: String,
    /// The coordinator's reason.
    pub reason: String,
}

/// The public page of a credential issued here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialPage {
    /// The random public id.
    pub public_id: String,
    /// The verification of the stored credential, made now.
    pub verification: Verification,
    /// The holder's name, only when they chose to show it.
    pub holder: Option<String>,
    /// The revocation, if revoked.
    pub revoked: Option<Revocation>,
    /// Whether the viewer is the holder (they may change what is shown).
    pub is_holder: bool,
    /// Whether the holder shows their name.
    pub show_name: bool,
    /// LinkedIn "Add to profile" link.
    pub linkedin: String,
}

/// Where a wallet offer stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferState {
    /// Waiting for a wallet, until `expires` (`HH:MM UTC`).
    Open { expires: String },
    /// A wallet claimed the copy, bound to this DID.
    Claimed { holder_did: String },
    /// Past its 15 minutes, or the credential was revoked.
    Expired,
}

/// The holder's offer to claim a credential into a wallet (VC-API exchange), as its page shows
/// it: a QR code and a link for a wallet on this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletOffer {
    /// The credential's public id.
    pub public_id: String,
    /// The achievement's name.
    pub name: String,
    /// `None` when the holder has not opened an offer for this credential.
    pub state: Option<OfferState>,
    /// The Learner Credential Wallet deep link, `https://lcw.app/request?request=<JSON>`,
    /// carrying `credentialRequestOrigin` and `protocols.vcapi` (empty unless open).
    pub deep_link: String,
    /// The VC-API exchange URL, for wallets that take it pasted (empty unless open).
    pub exchange_url: String,
    /// The deep link as a QR code, SVG markup drawn by the server (empty unless open).
    pub qr_svg: String,
    /// The OpenID for Verifiable Credential Issuance offer,
    /// `openid-credential-offer://?credential_offer=<JSON>` (empty unless open).
    pub openid_offer: String,
    /// That offer as a QR code (empty unless open).
    pub openid_qr_svg: String,
    /// The PIN (`tx_code`) an OpenID wallet asks for (empty unless open).
    pub tx_code: String,
    /// Whether the holder chose to put their name in the copy.
    pub include_name: bool,
}

/// The Learner Credential Wallet's deep link for a VC-API exchange: `request` is the JSON
/// `{"credentialRequestOrigin": origin, "protocols": {"vcapi": exchange}}`, URL-encoded.
pub fn lcw_deep_link(origin: &str, exchange: &str) -> String {
    let request = serde_json::json!({
        "credentialRequestOrigin": origin,
        "protocols": { "vcapi": exchange },
    })
    .to_string();
    format!(
        "https://lcw.app/request?request={}",
        crate::domain::url::encode(&request)
    )
}

/// One of the holder's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCredential {
    /// The random public id.
    pub public_id: String,
    /// Achievement name.
    pub name: String,
    /// Image URL.
    pub image: String,
    /// Image caption.
    pub caption: String,
    /// Issue date (`2026-11-23`).
    pub issued: String,
    /// The revocation, if revoked.
    pub revoked: Option<Revocation>,
    /// Whether the public page shows the holder's name.
    pub show_name: bool,
    /// LinkedIn "Add to profile" link.
    pub linkedin: String,
}

/// A credential of a cohort member, for its coordinators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortCredential {
    /// The random public id.
    pub public_id: String,
    /// Holder's name.
    pub holder: String,
    /// Achievement name.
    pub name: String,
    /// Issue date.
    pub issued: String,
    /// The revocation, if revoked.
    pub revoked: Option<Revocation>,
}

/// Longest revocation reason, in characters.
pub const REASON_MAX: usize = 500;

/// LinkedIn's "Add licence or certification" link for a credential.
/// The organisation is named by its LinkedIn id when the issuer has one configured (the
/// profile then links to the institution's page), else by name.
pub fn linkedin_url(
    name: &str,
    organisation: &str,
    organisation_id: Option<&str>,
    issued_ms: i64,
    url: &str,
    id: &str,
) -> String {
    use crate::domain::url::encode;
    let date = crate::domain::time::utc_date(issued_ms);
    let (year, month) = (
        date.get(0..4).unwrap_or_default(),
        date.get(5..7).unwrap_or_default().trim_start_matches('0'),
    );
    let organisation = match organisation_id {
        Some(org) => format!("organizationId={}", encode(org)),
        None => format!("organizationName={}", encode(organisation)),
    };
    format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&{organisation}&issueYear={year}&issueMonth={month}&certUrl={}&certId={}",
        encode(name),
        encode(url),
        encode(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_link_carries_name_organisation_date_and_url() {
        let with_id = linkedin_url(
            "Professional Identity",
            "Example Institute & Co",
            Some("1337"),
            1_795_000_000_000,
            "https://badges.example.org/credentials/abc",
            "abc",
        );
        assert!(with_id.contains("&organizationId=1337&"), "{with_id}");
        assert!(!with_id.contains("organizationName"), "{with_id}");
        let link = linkedin_url(
            "Professional Identity",
            "Example Institute & Co",
            None,
            1_795_000_000_000,
            "https://badges.example.org/credentials/abc",
            "abc",
        );
        assert!(
            link.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
        );
        assert!(link.contains("name=Professional%20Identity"), "{link}");
        assert!(
            link.contains("organizationName=Example%20Institute%20%26%20Co"),
            "{link}"
        );
        assert!(link.contains("issueYear=2026&issueMonth=11&"), "{link}");
        assert!(
            link.contains("certUrl=https%3A%2F%2Fbadges.example.org%2Fcredentials%2Fabc"),
            "{link}"
        );
        assert!(link.ends_with("certId=abc"));
    }

    #[test]
    fn the_wallet_deep_link_carries_the_exchange_as_lcw_reads_it() {
        let exchange = "https://badges.example.org/exchanges/0123abcd?x=1&y=é";
        let link = lcw_deep_link("https://badges.example.org", exchange);
        let encoded = link
            .strip_prefix("https://lcw.app/request?request=")
            .expect("LCW's request URL");
        assert!(
            !encoded.contains(['&', '?', '{', '"', '/', ' ']),
            "{encoded}"
        );
        let request: serde_json::Value =
            serde_json::from_str(&crate::domain::url::decode(encoded).expect("decodes"))
                .expect("JSON");
        assert_eq!(request["protocols"]["vcapi"], exchange);
        assert_eq!(
            request["credentialRequestOrigin"],
            "https://badges.example.org"
        );
    }
}
