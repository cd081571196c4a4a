//! Verifying a credential the way a careful reader would: is it an Open Badges 3.0 credential,
//! is the signature its issuer's and is the document unchanged, is it in its validity period,
//! has it been revoked. Each check is reported in words, and the document's own statements are
//! read out for display.

use serde_json::Value;

use super::{verify_credential, ContextLoader, Error, KeyResolver};
use crate::domain::credential::{
    AlignmentRow, Check, ContainedRow, CredentialSummary, ResultRow, Verdict, Verification,
};
use crate::domain::time::{parse_xsd_date_time, utc_date};

/// What the status list says about a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusAnswer {
    /// The credential has no `credentialStatus`.
    None,
    /// Not revoked.
    Active,
    /// Revoked.
    Revoked,
    /// The list could not be consulted (e.g. another issuer's list); says why.
    Unknown(String),
}

/// Most JSON values (objects, arrays, strings, numbers…) a document may hold to be checked. An
/// issued badge holds about 150; a credential with a result for each of 38 indicators, ~700; a
/// signed Learning Statement embedding all five badges, 3,115.
pub const MAX_NODES: usize = 10_000;
/// Deepest nesting of arrays and objects a document may have to be checked (a badge: 6).
pub const MAX_DEPTH: usize = 32;

/// Whether a document is small enough in structure to expand and canonicalise, checked before
/// any of that work (which grows faster than the document). Errors: what is over the limit.
pub fn within_limits(doc: &Value) -> Result<(), String> {
    let mut nodes = 0usize;
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 1)];
    while let Some((v, depth)) = stack.pop() {
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(format!(
                "it holds more than {MAX_NODES} values; no credential is that large"
            ));
        }
        if depth > MAX_DEPTH {
            return Err(format!(
                "it nests more than {MAX_DEPTH} levels deep; no credential does"
            ));
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    list(v.get("type")).iter().any(|x| x.as_str() == Some(t))
}

/// Which VC Data Model a credential follows (its first `@context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataModel {
    /// `https://www.w3.org/ns/credentials/v2`: `validFrom` / `validUntil`.
    V2,
    /// `https://www.w3.org/2018/credentials/v1`: `issuanceDate` / `expirationDate`, read as
    /// the validity period (VC Data Model 1.1 §4.6–4.7).
    V1_1,
}

/// What kind of credential a document is, by its contexts and types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An Open Badges 3.0 `OpenBadgeCredential` / `AchievementCredential`.
    Badge,
    /// A 1EdTech CLR 2.0 `ClrCredential` embedding other credentials.
    Record,
}

impl Kind {
    /// The first check's label.
    fn label(self) -> &'static str {
        match self {
            Kind::Badge => "Open Badges 3.0 credential",
            Kind::Record => "CLR 2.0 record",
        }
    }
}

/// Most credentials one CLR record may embed to be checked (each is verified in turn).
pub const MAX_EMBEDDED: usize = 64;

/// Whether the document has the shape of an Open Badges 3.0 credential (OB 3.0 §8.1 and the
/// conformance rules for displayers) or of a CLR 2.0 record (CLR 2.0 §4: `ClrCredential` with a
/// `ClrSubject` embedding at least one credential): a VC Data Model context first (2.0, or 1.1
/// as issued before OB 3.0's final release), the Open Badges 3.0 (or CLR 2.0) context after
/// it, and the types `VerifiableCredential` and `OpenBadgeCredential` or its alias
/// `AchievementCredential` (or `ClrCredential`).
fn shape(doc: &Value) -> Result<(DataModel, Kind), String> {
    let contexts: Vec<&str> = list(doc.get("@context"))
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    let model = match contexts.first() {
        Some(&super::loader::CREDENTIALS_V2) => DataModel::V2,
        Some(&super::loader::CREDENTIALS_V1) => DataModel::V1_1,
        _ => {
            return Err("its first @context is not the VC Data Model context (2.0, or 1.1)".into())
        }
    };
    let kind = if has_type(doc, "ClrCredential") {
        Kind::Record
    } else {
        Kind::Badge
    };
    let (prefix, what) = match kind {
        Kind::Badge => (
            "https://purl.imsglobal.org/spec/ob/v3p0/context",
            "Open Badges 3.0",
        ),
        Kind::Record => (
            "https://purl.imsglobal.org/spec/clr/v2p0/context",
            "CLR 2.0",
        ),
    };
    if !contexts.iter().skip(1).any(|c| c.starts_with(prefix)) {
        return Err(format!("it has no {what} @context"));
    }
    if !has_type(doc, "VerifiableCredential")
        || !(kind == Kind::Record
            || has_type(doc, "OpenBadgeCredential")
            || has_type(doc, "AchievementCredential"))
    {
        return Err(
            "its type is not VerifiableCredential and OpenBadgeCredential (or AchievementCredential, or ClrCredential)"
                .into(),
        );
    }
    if !doc.get("credentialSubject").is_some_and(Value::is_object) {
        return Err("it has no credentialSubject".into());
    }
    if kind == Kind::Record {
        let n = super::clr::embedded(doc).len();
        if n == 0 {
            return Err("its ClrSubject embeds no verifiableCredential".into());
        }
        if n > MAX_EMBEDDED {
            return Err(format!(
                "it embeds {n} credentials; this page checks at most {MAX_EMBEDDED}"
            ));
        }
    }
    Ok((model, kind))
}

/// What this verifier recognises but cannot check, named instead of called invalid: an
/// Open Badges 2.0 assertion (OB 2.0 is verified by fetching its hosted assertion, or its
/// signed JWS, not by a Data Integrity proof). `None` for anything else.
pub fn not_checkable(doc: &Value) -> Option<String> {
    let contexts: Vec<&str> = list(doc.get("@context"))
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    let ob2 = contexts.iter().any(|c| {
        c.starts_with("https://w3id.org/openbadges/v2")
            || *c == "https://openbadgespec.org/v2/context.json"
    }) || (has_type(doc, "Assertion") && doc.get("badge").is_some());
    ob2.then(|| {
        "it is an Open Badges 2.0 assertion; this page checks Open Badges 3.0 credentials (an OB 2.0 badge is checked at its issuer's hosted address)".to_owned()
    })
}

/// Whether `text` is a compact JWS (three base64url parts): a credential secured as a JWT
/// (VC-JWT, or VC-JOSE-COSE), which this verifier does not check.
pub fn is_compact_jws(text: &str) -> bool {
    let t = text.trim().trim_matches('"');
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && t.starts_with("eyJ")
        && parts[..2].iter().all(|p| !p.is_empty())
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The report for something recognised but not checkable here: `why` names it.
pub fn cannot_check(why: &str) -> Verification {
    Verification {
        verdict: Verdict::CannotCheck,
        reason: format!("This cannot be checked here: {why}."),
        checks: vec![Check {
            label: "Open Badges 3.0 credential".into(),
            ok: false,
            detail: format!("Not checked: {why}."),
        }],
        summary: None,
        signer: None,
        signature_problem: Some("cannot-check".into()),
    }
}

/// Reads what the credential states, for display (nothing here is trusted before the checks).
pub fn summary(doc: &Value) -> CredentialSummary {
    let subject = doc.get("credentialSubject").unwrap_or(&Value::Null);
    // A record's own name and description are the credential's; a badge's are its
    // achievement's.
    let record = super::clr::is_clr(doc);
    let achievement = if record {
        doc
    } else {
        subject.get("achievement").unwrap_or(&Value::Null)
    };
    let descriptions: Vec<&Value> = list(achievement.get("resultDescription"));
    let results = list(subject.get("result"))
        .into_iter()
        .map(|r| {
            let rd_id = str_at(r, &["resultDescription"]);
            let rd = descriptions
                .iter()
                .find(|d| str_at(d, &["id"]) == rd_id && !rd_id.is_empty());
            let level_id = str_at(r, &["achievedLevel"]);
            let level = rd
                .map(|d| list(d.get("rubricCriterionLevel")))
                .unwrap_or_default()
                .into_iter()
                .find(|l| str_at(l, &["id"]) == level_id)
                .map(|l| str_at(l, &["name"]).to_owned())
                .unwrap_or_else(|| str_at(r, &["value"]).to_owned());
            ResultRow {
                indicator: rd
                    .map(|d| str_at(d, &["name"]).to_owned())
                    .unwrap_or_else(|| rd_id.to_owned()),
                level,
            }
        })
        .collect();
    let issuer = doc.get("issuer").unwrap_or(&Value::Null);
    CredentialSummary {
        id: str_at(doc, &["id"]).to_owned(),
        name: str_at(achievement, &["name"]).to_owned(),
        description: str_at(achievement, &["description"]).to_owned(),
        criteria: str_at(achievement, &["criteria", "narrative"]).to_owned(),
        image: match achievement.get("image") {
            Some(Value::String(s)) => s.clone(),
            Some(i) => str_at(i, &["id"]).to_owned(),
            None => String::new(),
        },
        caption: str_at(achievement, &["image", "caption"]).to_owned(),
        issuer_name: str_at(issuer, &["name"]).to_owned(),
        issuer_id: issuer
            .as_str()
            .unwrap_or_else(|| str_at(issuer, &["id"]))
            .to_owned(),
        issuer_url: str_at(issuer, &["url"]).to_owned(),
        // VC 1.1's issuance and expiration dates are its validity period.
        valid_from: doc
            .get("validFrom")
            .or_else(|| doc.get("issuanceDate"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        valid_until: doc
            .get("validUntil")
            .or_else(|| doc.get("expirationDate"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        results,
        alignments: {
            // One row per competency: its page, with its CASE item beside it when the
            // credential also aligns to that (same `targetName`, `targetType` `CFItem`).
            let all = list(achievement.get("alignment"));
            let is_case = |a: &Value| str_at(a, &["targetType"]) == "CFItem";
            all.iter()
                .filter(|a| !is_case(a))
                .map(|a| {
                    let name = str_at(a, &["targetName"]);
                    AlignmentRow {
                        name: name.to_owned(),
                        url: str_at(a, &["targetUrl"]).to_owned(),
                        case_item: all
                            .iter()
                            .find(|c| is_case(c) && str_at(c, &["targetName"]) == name)
                            .map(|c| str_at(c, &["targetUrl"]).to_owned()),
                    }
                })
                .collect()
        },
        evidence: list(doc.get("evidence"))
            .into_iter()
            .map(|e| {
                let narrative = str_at(e, &["narrative"]);
                (
                    str_at(e, &["name"]).to_owned(),
                    if narrative.is_empty() {
                        str_at(e, &["description"]).to_owned()
                    } else {
                        narrative.to_owned()
                    },
                )
            })
            .collect(),
        contains: if record { contained(doc) } else { Vec::new() },
    }
}

/// The credentials a record embeds, named by their achievements, with what each is part of
/// (the record's `isPartOf` associations; the target named from the embedded achievements or
/// the record's own `achievement` list).
fn contained(doc: &Value) -> Vec<ContainedRow> {
    let subject = doc.get("credentialSubject").unwrap_or(&Value::Null);
    let embedded = super::clr::embedded(doc);
    let mut achievements: Vec<&Value> = embedded
        .iter()
        .filter_map(|c| super::clr::achievement_of(c))
        .collect();
    achievements.extend(list(subject.get("achievement")));
    let name_of = |id: &str| -> Option<String> {
        achievements
            .iter()
            .find(|a| str_at(a, &["id"]) == id && !id.is_empty())
            .map(|a| str_at(a, &["name"]).to_owned())
            .or_else(|| (!id.is_empty()).then(|| id.to_owned()))
    };
    let associations = list(subject.get("association"));
    embedded
        .iter()
        .map(|c| {
            let achievement = super::clr::achievement_of(c).unwrap_or(&Value::Null);
            let achievement_id = str_at(achievement, &["id"]);
            let part_of = associations
                .iter()
                .find(|a| {
                    str_at(a, &["associationType"]) == super::clr::IS_PART_OF
                        && str_at(a, &["sourceId"]) == achievement_id
                        && !achievement_id.is_empty()
                })
                .and_then(|a| name_of(str_at(a, &["targetId"])));
            let name = str_at(achievement, &["name"]);
            ContainedRow {
                name: if name.is_empty() {
                    str_at(c, &["name"]).to_owned()
                } else {
                    name.to_owned()
                },
                url: str_at(c, &["id"]).to_owned(),
                verdict: None,
                reason: String::new(),
                part_of,
            }
        })
        .collect()
}

/// What a signature failure means, in words.
/// The code of a signature failure (see [`Verification::signature_problem`]).
fn problem_code(e: &Error) -> &'static str {
    match e {
        Error::BadSignature => "tampered",
        Error::Key(m) if m.starts_with("unknown DID") => "unknown-issuer",
        Error::NotAuthorized(_) => "not-issuers-key",
        _ => "cannot-check",
    }
}

fn explain(e: &Error) -> String {
    match e {
        Error::BadSignature => {
            "the signature does not match: the credential was changed after it was signed".into()
        }
        Error::Key(m) if m.starts_with("unknown DID") => format!(
            "its issuer is not known here ({}); only credentials issued by this service (or signed with a did:key) can be checked on this page",
            m.trim_start_matches("unknown DID ")
        ),
        Error::Key(m) => format!("the issuer's key could not be used: {m}"),
        Error::NotAuthorized(m) => format!("the key is not the issuer's: {m}"),
        Error::Unsafe(w) => format!(
            "it contains terms no context defines, which a signature would not cover: {}",
            w.join("; ")
        ),
        Error::Proof(m) => format!("its proof is not usable: {m}"),
        Error::ContextNotBundled(u) => {
            format!("it uses a JSON-LD context this verifier does not know: {u}")
        }
        other => other.to_string(),
    }
}

/// Verifies `doc` at time `now_ms`. `status` answers for the credential's `credentialStatus`.
pub fn verify(
    doc: &Value,
    resolver: &dyn KeyResolver,
    loader: &ContextLoader,
    status: &dyn Fn(&Value) -> StatusAnswer,
    now_ms: i64,
) -> Verification {
    let mut checks = Vec::new();
    if let Some(why) = not_checkable(doc) {
        return cannot_check(&why);
    }
    let (model, kind) = match shape(doc) {
        Ok(m) => m,
        Err(why) => {
            checks.push(Check {
                label: "Open Badges 3.0 credential".into(),
                ok: false,
                detail: format!("Not an Open Badges 3.0 credential: {why}."),
            });
            return Verification {
                verdict: Verdict::Invalid,
                reason: format!("This is not an Open Badges 3.0 credential: {why}."),
                checks,
                summary: None,
                signer: None,
                signature_problem: None,
            };
        }
    };
    let what = match kind {
        Kind::Badge => "Open Badges 3.0",
        Kind::Record => "CLR 2.0",
    };
    checks.push(Check {
        label: kind.label().into(),
        ok: true,
        detail: match model {
            DataModel::V2 => format!("VC Data Model 2.0 and {what} contexts and types."),
            DataModel::V1_1 => format!("VC Data Model 1.1 and {what} contexts and types (its issuance and expiration dates are read as its validity period)."),
        },
    });
    let mut summary = summary(doc);
    let signature = verify_credential(doc, resolver, loader);
    checks.push(match &signature {
        Ok(v) => Check {
            label: "Signature".into(),
            ok: true,
            detail: format!(
                "Signed by the issuer ({}) with key {} ({}); not changed since.",
                v.controller,
                v.verification_method,
                v.suite.name()
            ),
        },
        Err(e) => Check {
            label: "Signature".into(),
            ok: false,
            detail: format!("Not valid: {}.", explain(e)),
        },
    });
    let signer = match signature {
        Err(e) => {
            let cannot = matches!(problem_code(&e), "cannot-check" | "unknown-issuer");
            return Verification {
                verdict: if cannot {
                    Verdict::CannotCheck
                } else {
                    Verdict::Invalid
                },
                reason: if cannot {
                    format!("This credential cannot be checked here: {}.", explain(&e))
                } else {
                    format!("This credential is not valid: {}.", explain(&e))
                },
                checks,
                summary: Some(summary),
                signer: None,
                signature_problem: Some(problem_code(&e).to_owned()),
            };
        }
        Ok(v) => v.controller,
    };
    // Anyone can make a did:key: its signature proves the document is unchanged since that
    // key signed it, not who holds the key.
    let unconfirmed = signer.starts_with("did:key:");
    let from = parse_xsd_date_time(&summary.valid_from);
    let until = summary.valid_until.as_deref().map(parse_xsd_date_time);
    let period = match (from, until) {
        (None, _) | (_, Some(None)) => Err(Verdict::Invalid),
        (Some(f), _) if f > now_ms => Err(Verdict::NotYetValid),
        (_, Some(Some(u))) if u <= now_ms => Err(Verdict::Expired),
        _ => Ok(()),
    };
    checks.push(Check {
        label: "Validity period".into(),
        ok: period.is_ok(),
        detail: match (&period, from, until) {
            (Err(Verdict::Invalid), _, _) => "Its dates are not valid dates.".into(),
            (Err(Verdict::NotYetValid), Some(f), _) => format!("Valid only from {}.", utc_date(f)),
            (Err(_), _, Some(Some(u))) => format!("Expired on {}.", utc_date(u)),
            (_, Some(f), Some(Some(u))) => {
                format!("Valid from {} until {}.", utc_date(f), utc_date(u))
            }
            (_, Some(f), _) => format!("Valid from {}; it does not expire.", utc_date(f)),
            _ => String::new(),
        },
    });
    let answer = status(doc);
    checks.push(Check {
        label: "Revocation status".into(),
        ok: matches!(answer, StatusAnswer::Active | StatusAnswer::None),
        detail: match &answer {
            StatusAnswer::None => "It has no status list entry; it cannot be revoked.".into(),
            StatusAnswer::Active => "Not revoked (the issuer's status list was checked).".into(),
            StatusAnswer::Revoked => "Revoked by its issuer.".into(),
            StatusAnswer::Unknown(why) => format!("Could not be checked: {why}."),
        },
    });
    let (verdict, reason) = if answer == StatusAnswer::Revoked {
        (
            Verdict::Revoked,
            "This credential was issued and signed by its issuer, who has since revoked it.".into(),
        )
    } else {
        match period {
            Err(Verdict::Expired) => (
                Verdict::Expired,
                "This credential was issued and signed by its issuer, and has expired.".to_owned(),
            ),
            Err(Verdict::NotYetValid) => (
                Verdict::NotYetValid,
                "This credential is signed by its issuer but is not valid yet.".to_owned(),
            ),
            Err(v) => (v, "This credential's dates are not valid.".to_owned()),
            Ok(()) => match answer {
                StatusAnswer::Unknown(why) => (
                    Verdict::CannotCheck,
                    format!("The signature is valid, but its revocation status could not be checked: {why}."),
                ),
                _ if unconfirmed => (
                    Verdict::Valid,
                    "The signature is valid and the credential current, but its issuer's identity is not confirmed (a did:key, which anyone can create).".to_owned(),
                ),
                _ => (
                    Verdict::Valid,
                    "This credential is valid: signed by its issuer, unchanged, current and not revoked.".to_owned(),
                ),
            },
        }
    };
    let (verdict, reason) = if kind == Kind::Record {
        let embedded = super::clr::embedded(doc);
        let mut worst: Option<(Verdict, String)> = None;
        for (row, credential) in summary.contains.iter_mut().zip(embedded) {
            let report = if super::clr::is_clr(credential) {
                cannot_check("it is a record inside a record, which this page does not open")
            } else {
                verify(credential, resolver, loader, status, now_ms)
            };
            checks.push(Check {
                label: format!("Contains: {}", row.name),
                ok: report.verdict == Verdict::Valid,
                detail: format!("{}. {}", report.verdict.label(), report.reason),
            });
            if report.verdict != Verdict::Valid && worst.is_none() {
                worst = Some((report.verdict, row.name.clone()));
            }
            row.verdict = Some(report.verdict);
            row.reason = report.reason;
        }
        match (verdict, worst) {
            (Verdict::Valid, Some((inner, name))) => (
                inner,
                format!(
                    "The record is signed by its issuer, but a credential it contains is not valid now ({}): {name}.",
                    inner.label().to_lowercase()
                ),
            ),
            (Verdict::Valid, None) => (
                Verdict::Valid,
                if unconfirmed {
                    reason
                } else {
                    "This record is valid: signed by its issuer, unchanged, current and not revoked, and so is every credential it contains.".to_owned()
                },
            ),
            other => (other.0, reason),
        }
    } else {
        (verdict, reason)
    };
    checks.push(Check {
        label: "Issuer identity".into(),
        ok: !unconfirmed,
        detail: if unconfirmed {
            "Not confirmed: the issuer is a did:key, which anyone can create; nothing links it to an institution.".into()
        } else {
            format!("The signing key is published by {signer}.")
        },
    });
    Verification {
        verdict,
        reason,
        checks,
        summary: Some(summary),
        signer: Some(signer),
        signature_problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn structure_limits_refuse_wide_and_deep_documents_only() {
        let badge = json!({"@context": ["a", "b"], "credentialSubject": {"result": [{"x": 1}]}});
        assert!(within_limits(&badge).is_ok());
        let wide = json!({ "result": vec![json!({"a": 1}); MAX_NODES] });
        assert!(within_limits(&wide).is_err());
        let mut deep = json!(1);
        for _ in 0..MAX_DEPTH {
            deep = json!([deep]);
        }
        assert!(within_limits(&deep).is_err());
        let mut fits = json!(1);
        for _ in 0..MAX_DEPTH - 1 {
            fits = json!({ "k": fits });
        }
        assert!(within_limits(&fits).is_ok());
    }
}
