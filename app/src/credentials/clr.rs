//! The signed Learning Statement: a 1EdTech Comprehensive Learner Record 2.0 `ClrCredential`
//! (CLR 2.0 §4, "ClrCredential" and "ClrSubject") that embeds the holder's badges, states how
//! they fit together, and carries the parts of the Learning Statement the holder chose.
//!
//! Shape (every term is defined by the VC 2.0, CLR 2.0.1 and OB 3.0.3 contexts, in that order,
//! as 1EdTech's CLR samples list them; the signer expands in safe mode):
//!
//! ```text
//! ClrCredential { id, issuer, validFrom, awardedDate, name, description,
//!   credentialSubject: ClrSubject {
//!     identifier: [IdentityObject]        salted hash of the holder's email, as in the badges
//!     achievement: [Achievement]          the whole micro-credential's, when its badge is not
//!                                         held (the associations' target; each held badge
//!                                         carries its own achievement)
//!     verifiableCredential: [badge]       the holder's live badges, signed documents unchanged
//!     association: [Association]          each domain badge `isPartOf` the micro-credential
//!   },
//!   evidence: [Evidence]                  the chosen parts: name, narrative (the holder's text)
//!   credentialStatus }                    the same Bitstring Status List as the badges
//! ```
//!
//! Every embedded badge keeps its own proof, so a verifier can check each one as well as the
//! record's own signature.

use serde_json::{json, Value};

use super::issuer::Issuer;
use super::loader::{CLR_V2P0_2_0_1, CREDENTIALS_V2, OB_V3P0_3_0_3};
use super::ob3::identity_hash;

/// CLR 2.0 `AssociationType` for "the source achievement is part of the target".
pub const IS_PART_OF: &str = "isPartOf";

/// A part of the Learning Statement carried as `evidence`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementPart {
    /// The part's heading ("My objectives").
    pub name: String,
    /// Its text (the holder's, or what the service states for generated parts).
    pub narrative: String,
    /// Who wrote it ("Written by the holder", "Stated by the issuer from its records").
    pub description: String,
}

/// Everything a signed Learning Statement says.
#[derive(Clone, Debug)]
pub struct RecordDef {
    /// The credential's URL (its `id`, also its verification page).
    pub id: String,
    /// `validFrom` and `awardedDate` (XML Schema dateTime).
    pub valid_from: String,
    /// Name ("Learning Statement: …").
    pub name: String,
    /// Description (the programme, when the holder included it).
    pub description: String,
    /// The holder's email, hashed with `salt` (never stored in the document).
    pub email: String,
    /// Random salt for the identity hash.
    pub salt: String,
    /// The signed badges embedded, in the order given.
    pub credentials: Vec<Value>,
    /// The whole micro-credential's `Achievement` (target of the associations), when the
    /// holder does not hold that badge (otherwise its own achievement is used).
    pub whole: Option<Value>,
    /// The whole micro-credential's achievement id.
    pub whole_id: String,
    /// The chosen parts.
    pub parts: Vec<StatementPart>,
    /// The `credentialStatus` entry.
    pub status: Value,
}

/// The achievement a badge awards (`credentialSubject.achievement`), if it has one object.
pub fn achievement_of(badge: &Value) -> Option<&Value> {
    badge
        .pointer("/credentialSubject/achievement")
        .filter(|a| a.is_object())
}

/// The `Association`s of a record: each domain badge's achievement (OB 3.0 achievementType
/// `Competency`) is part of the whole micro-credential's.
pub fn associations(credentials: &[Value], whole_id: &str) -> Vec<Value> {
    credentials
        .iter()
        .filter_map(achievement_of)
        .filter(|a| a.get("achievementType").and_then(Value::as_str) == Some("Competency"))
        .filter_map(|a| a.get("id").and_then(Value::as_str))
        .filter(|id| *id != whole_id)
        .map(|id| {
            json!({
                "type": "Association",
                "associationType": IS_PART_OF,
                "sourceId": id,
                "targetId": whole_id,
            })
        })
        .collect()
}

/// The unsigned `ClrCredential`.
pub fn credential(issuer: &Issuer, def: &RecordDef) -> Value {
    let evidence: Vec<Value> = def
        .parts
        .iter()
        .map(|p| {
            json!({
                "type": ["Evidence"],
                "name": p.name,
                "narrative": p.narrative,
                "description": p.description,
                "genre": "Learning Statement",
            })
        })
        .collect();
    let mut subject = json!({
        "type": ["ClrSubject"],
        "identifier": [{
            "type": "IdentityObject",
            "identityHash": identity_hash(&def.email.to_lowercase(), &def.salt),
            "identityType": "emailAddress",
            "hashed": true,
            "salt": def.salt,
        }],
        "verifiableCredential": def.credentials,
    });
    if let (Some(whole), Some(map)) = (&def.whole, subject.as_object_mut()) {
        map.insert("achievement".into(), json!([whole]));
    }
    let links = associations(&def.credentials, &def.whole_id);
    if let (false, Some(map)) = (links.is_empty(), subject.as_object_mut()) {
        map.insert("association".into(), links.into());
    }
    let mut doc = json!({
        "@context": [CREDENTIALS_V2, CLR_V2P0_2_0_1, OB_V3P0_3_0_3],
        "id": def.id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": def.name,
        "description": def.description,
        "issuer": issuer.profile(),
        "validFrom": def.valid_from,
        "awardedDate": def.valid_from,
        "credentialSubject": subject,
        "credentialStatus": def.status,
    });
    if let (false, Some(map)) = (evidence.is_empty(), doc.as_object_mut()) {
        map.insert("evidence".into(), evidence.into());
    }
    doc
}

/// Whether a document is a CLR 2.0 credential by its types.
pub fn is_clr(doc: &Value) -> bool {
    match doc.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "ClrCredential"),
        Some(Value::String(t)) => t == "ClrCredential",
        _ => false,
    }
}

/// The credentials a CLR embeds (`credentialSubject.verifiableCredential`, one or many).
pub fn embedded(doc: &Value) -> Vec<&Value> {
    match doc.pointer("/credentialSubject/verifiableCredential") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge(id: &str, kind: &str) -> Value {
        json!({"credentialSubject": {"achievement": {"id": id, "achievementType": kind}}})
    }

    #[test]
    fn each_domain_badge_is_part_of_the_whole_and_nothing_else_is_linked() {
        let whole = "https://x/achievements/f/micro-credential";
        let badges = [
            badge("https://x/achievements/f/a", "Competency"),
            badge(whole, "MicroCredential"),
            badge("https://x/achievements/f/b", "Competency"),
            json!({"credentialSubject": {"achievement": [1, 2]}}),
        ];
        let links = associations(&badges, whole);
        assert_eq!(links.len(), 2);
        for (link, source) in links.iter().zip(["a", "b"]) {
            assert_eq!(link["associationType"], IS_PART_OF);
            assert_eq!(link["targetId"], whole);
            assert_eq!(
                link["sourceId"],
                format!("https://x/achievements/f/{source}")
            );
        }
        assert!(associations(&badges[1..2], whole).is_empty());
    }

    #[test]
    fn embedded_reads_one_or_many() {
        assert_eq!(
            embedded(&json!({"credentialSubject": {"verifiableCredential": [{}, {}]}})).len(),
            2
        );
        assert_eq!(
            embedded(&json!({"credentialSubject": {"verifiableCredential": {}}})).len(),
            1
        );
        assert!(embedded(&json!({"credentialSubject": {}})).is_empty());
        assert!(is_clr(
            &json!({"type": ["VerifiableCredential", "ClrCredential"]})
        ));
        assert!(!is_clr(
            &json!({"type": ["VerifiableCredential", "OpenBadgeCredential"]})
        ));
    }
}
