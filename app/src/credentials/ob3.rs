//! Open Badges 3.0 documents: the `Achievement` of a badge and the unsigned
//! `OpenBadgeCredential` that awards it.
//!
//! Every term used is defined by the VC 2.0 and OB 3.0.3 contexts (the signer expands in safe
//! mode and refuses anything else). What the credential says about the learner is limited to a
//! salted hash of their email, the rubric level of each indicator and a description of the
//! evidence assessed; no journal text, file or personal data leaves the service.

use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use super::issuer::Issuer;
use crate::domain::assessment::RubricLevel;

/// A competency a badge aligns to.
#[derive(Clone, Debug)]
pub struct AlignmentDef {
    /// Competency slug (`targetCode`).
    pub code: String,
    /// Competency title (`targetName`).
    pub name: String,
    /// Its public page (`targetUrl`).
    pub url: String,
    /// Its description (`targetDescription`).
    pub description: String,
    /// What `url` points at (`targetType`, OB 3.0 §B.1.2 AlignmentTargetType): `CFItem` for the
    /// competency's CASE item, `ceasn:Competency` for its public page.
    pub target_type: &'static str,
}

/// An indicator whose result a badge reports.
#[derive(Clone, Debug)]
pub struct IndicatorDef {
    /// Indicator slug.
    pub slug: String,
    /// Its wording.
    pub text: String,
    /// The competency it belongs to (title).
    pub competency: String,
}

/// Everything an `Achievement` says.
#[derive(Clone, Debug)]
pub struct AchievementDef {
    /// Its URL (`<base>/achievements/<framework>/<key>`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Criteria narrative.
    pub criteria: String,
    /// `achievementType` (OB 3.0 AchievementType): `Competency` for a domain's badge,
    /// `MicroCredential` for the whole credential.
    pub achievement_type: &'static str,
    /// Image URL (a PNG: some displayers show only raster images; the SVG is published too).
    pub image: String,
    /// Image caption for screen readers.
    pub caption: String,
    /// Language of the texts.
    pub language: String,
    /// The framework's title (`targetFramework`).
    pub framework: String,
    /// The competencies it covers.
    pub alignments: Vec<AlignmentDef>,
    /// The indicators it reports, in framework order.
    pub indicators: Vec<IndicatorDef>,
}

/// A piece of assessed evidence, described without its content.
#[derive(Clone, Debug)]
pub struct EvidenceDef {
    /// e.g. "Evidence for Communication".
    pub name: String,
    /// What was assessed, when, and how it was judged.
    pub description: String,
}

/// The award: who, when, which results, which evidence, which status slot.
#[derive(Clone, Debug)]
pub struct AwardDef {
    /// The credential's URL (its `id`, also the public verification page).
    pub id: String,
    /// `validFrom` (XML Schema dateTime).
    pub valid_from: String,
    /// `validUntil`, if the credential expires.
    pub valid_until: Option<String>,
    /// The learner's email, hashed with `salt` (never stored in the document).
    pub email: String,
    /// Random salt for the identity hash.
    pub salt: String,
    /// The level of each indicator (by slug) in the deciding review.
    pub results: Vec<(String, RubricLevel)>,
    /// The assessed submissions.
    pub evidence: Vec<EvidenceDef>,
    /// The `credentialStatus` entry.
    pub status: Value,
}

/// Lower-case slug of a rubric level, used in level ids.
fn level_key(level: RubricLevel) -> &'static str {
    match level {
        RubricLevel::NotEvident => "not-evident",
        RubricLevel::PartlyEvident => "partly-evident",
        RubricLevel::Evident => "evident",
    }
}

/// The id of an indicator's `ResultDescription`.
pub fn result_description_id(achievement_id: &str, indicator: &str) -> String {
    format!("{achievement_id}#indicator-{indicator}")
}

/// The id of a rubric level of an indicator.
pub fn level_id(achievement_id: &str, indicator: &str, level: RubricLevel) -> String {
    format!(
        "{}.{}",
        result_description_id(achievement_id, indicator),
        level_key(level)
    )
}

/// `sha256$<hex>` of `identity` + `salt`, as OB 3.0 `IdentityObject.identityHash` defines it.
pub fn identity_hash(identity: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{identity}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// The `Achievement` object.
pub fn achievement(def: &AchievementDef) -> Value {
    let alignment: Vec<Value> = def
        .alignments
        .iter()
        .map(|a| {
            json!({
                "type": ["Alignment"],
                "targetName": a.name,
                "targetDescription": a.description,
                "targetUrl": a.url,
                "targetCode": a.code,
                "targetFramework": def.framework,
                "targetType": a.target_type,
            })
        })
        .collect();
    let result_description: Vec<Value> = def
        .indicators
        .iter()
        .map(|i| {
            json!({
                "id": result_description_id(&def.id, &i.slug),
                "type": ["ResultDescription"],
                "name": format!("{}: {}", i.competency, i.text),
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": RubricLevel::ALL.iter().map(|l| json!({
                    "id": level_id(&def.id, &i.slug, *l),
                    "type": ["RubricCriterionLevel"],
                    "name": l.label(),
                    "description": l.descriptor(),
                    "level": l.value().to_string(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": def.id,
        "type": ["Achievement"],
        "achievementType": def.achievement_type,
        "name": def.name,
        "description": def.description,
        "criteria": { "narrative": def.criteria },
        "image": { "id": def.image, "type": "Image", "caption": def.caption },
        "inLanguage": def.language,
        "alignment": alignment,
        "resultDescription": result_description,
    })
}

/// The unsigned `OpenBadgeCredential`.
pub fn credential(issuer: &Issuer, def: &AchievementDef, award: &AwardDef) -> Value {
    let result: Vec<Value> = award
        .results
        .iter()
        .map(|(slug, level)| {
            json!({
                "type": ["Result"],
                "resultDescription": result_description_id(&def.id, slug),
                "achievedLevel": level_id(&def.id, slug, *level),
            })
        })
        .collect();
    let evidence: Vec<Value> = award
        .evidence
        .iter()
        .map(|e| {
            json!({
                "type": ["Evidence"],
                "name": e.name,
                "description": e.description,
                "genre": "Assessed portfolio",
                "audience": "Assessors of the issuing institution",
            })
        })
        .collect();
    let mut doc = json!({
        "@context": [super::loader::CREDENTIALS_V2, super::loader::OB_V3P0_3_0_3],
        "id": award.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": def.name,
        "description": def.description,
        "issuer": issuer.profile(),
        "validFrom": award.valid_from,
        "awardedDate": award.valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": identity_hash(&award.email.to_lowercase(), &award.salt),
                "identityType": "emailAddress",
                "hashed": true,
                "salt": award.salt,
            }],
            "achievement": achievement(def),
            "result": result,
        },
        "evidence": evidence,
        "credentialStatus": award.status,
    });
    if let (Some(until), Some(map)) = (&award.valid_until, doc.as_object_mut()) {
        map.insert("validUntil".into(), until.clone().into());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_hash_is_sha256_of_identity_and_salt() {
        // echo -n 'teacher@example.org0123' | sha256sum
        assert_eq!(
            identity_hash("teacher@example.org", "0123"),
            "sha256$e48a6f3f6d538f13314fb0973e54b777a6d031d27d13a7d8329bc90d4e9d4df0"
        );
        assert_ne!(identity_hash("a@b.c", "1"), identity_hash("a@b.c", "2"));
    }
}
