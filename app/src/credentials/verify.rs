//! Verifying a credential the way a careful reader would: is it an Open Badges 3.0 credential,
//! is the signature its issuer's and is the document unchanged, is it in its validity period,
//! has it been revoked. Each check is reported in words, and the document's own statements are
//! read out for display.

use serde_json::Value;

use super::{verify_credential, ContextLoader, Error, KeyResolver};
use crate::domain::credential::{
    AlignmentRow, Check, ContainedRow, CredentialSummary, ResultRow, Verdict, Verification,
};
use crate::domain::time::{long_date, parse_xsd_date_time};
use crate::i18n::k::verify as words;
use crate::t;

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
            return Err(words::too_many_values(MAX_NODES));
        }
        if depth > MAX_DEPTH {
            return Err(words::too_deep(MAX_DEPTH));
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
            Kind::Badge => t!(verify.check_ob3),
            Kind::Record => t!(verify.check_clr),
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
        _ => return Err(t!(verify.shape_first_context).to_owned()),
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
        return Err(words::shape_no_context(what));
    }
    if !has_type(doc, "VerifiableCredential")
        || !(kind == Kind::Record
            || has_type(doc, "OpenBadgeCredential")
            || has_type(doc, "AchievementCredential"))
    {
        return Err(t!(verify.shape_type).to_owned());
    }
    if !doc.get("credentialSubject").is_some_and(Value::is_object) {
        return Err(t!(verify.shape_no_subject).to_owned());
    }
    if kind == Kind::Record {
        let n = super::clr::embedded(doc).len();
        if n == 0 {
            return Err(t!(verify.shape_nothing_embedded).to_owned());
        }
        if n > MAX_EMBEDDED {
            return Err(words::shape_too_many_embedded(n, MAX_EMBEDDED));
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
    ob2.then(|| t!(verify.ob2_assertion).to_owned())
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
        reason: words::cannot_check_reason(why),
        checks: vec![Check {
            label: t!(verify.check_ob3).into(),
            ok: false,
            detail: words::cannot_check_detail(why),
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
        Error::BadSignature => t!(verify.explain_bad_signature).into(),
        Error::Key(m) if m.starts_with("unknown DID") => {
            words::explain_unknown_issuer(m.trim_start_matches("unknown DID "))
        }
        Error::Key(m) => words::explain_key(m),
        Error::NotAuthorized(m) => words::explain_not_authorized(m),
        Error::Unsafe(w) => words::explain_unsafe(w.join("; ")),
        Error::Proof(m) => words::explain_proof(m),
        Error::ContextNotBundled(u) => words::explain_context_not_bundled(u),
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
                label: t!(verify.check_ob3).into(),
                ok: false,
                detail: words::not_ob3_detail(&why),
            });
            return Verification {
                verdict: Verdict::Invalid,
                reason: words::not_ob3_reason(&why),
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
            DataModel::V2 => words::shape_v2(what),
            DataModel::V1_1 => words::shape_v1_1(what),
        },
    });
    let mut summary = summary(doc);
    let signature = verify_credential(doc, resolver, loader);
    checks.push(match &signature {
        Ok(v) => Check {
            label: t!(verify.check_signature).into(),
            ok: true,
            detail: words::signature_valid(&v.controller, &v.verification_method, v.suite.name()),
        },
        Err(e) => Check {
            label: t!(verify.check_signature).into(),
            ok: false,
            detail: words::signature_invalid(explain(e)),
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
                    words::reason_cannot_check(explain(&e))
                } else {
                    words::reason_not_valid(explain(&e))
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
        label: t!(verify.check_validity).into(),
        ok: period.is_ok(),
        detail: match (&period, from, until) {
            (Err(Verdict::Invalid), _, _) => t!(verify.dates_invalid).into(),
            (Err(Verdict::NotYetValid), Some(f), _) => words::valid_only_from(long_date(f)),
            (Err(_), _, Some(Some(u))) => words::expired_on(long_date(u)),
            (_, Some(f), Some(Some(u))) => words::valid_from_until(long_date(f), long_date(u)),
            (_, Some(f), _) => words::valid_from_no_expiry(long_date(f)),
            _ => String::new(),
        },
    });
    let answer = status(doc);
    checks.push(Check {
        label: t!(verify.check_revocation).into(),
        ok: matches!(answer, StatusAnswer::Active | StatusAnswer::None),
        detail: match &answer {
            StatusAnswer::None => t!(verify.status_none).into(),
            StatusAnswer::Active => t!(verify.status_active).into(),
            StatusAnswer::Revoked => t!(verify.status_revoked).into(),
            StatusAnswer::Unknown(why) => words::status_unknown(why),
        },
    });
    let (verdict, reason) = if answer == StatusAnswer::Revoked {
        (Verdict::Revoked, t!(verify.reason_revoked).to_owned())
    } else {
        match period {
            Err(Verdict::Expired) => (Verdict::Expired, t!(verify.reason_expired).to_owned()),
            Err(Verdict::NotYetValid) => (
                Verdict::NotYetValid,
                t!(verify.reason_not_yet_valid).to_owned(),
            ),
            Err(v) => (v, t!(verify.reason_dates_invalid).to_owned()),
            Ok(()) => match answer {
                StatusAnswer::Unknown(why) => {
                    (Verdict::CannotCheck, words::reason_status_unknown(why))
                }
                _ if unconfirmed => (
                    Verdict::Valid,
                    t!(verify.reason_valid_unconfirmed).to_owned(),
                ),
                _ => (Verdict::Valid, t!(verify.reason_valid).to_owned()),
            },
        }
    };
    let (verdict, reason) = if kind == Kind::Record {
        let embedded = super::clr::embedded(doc);
        let mut worst: Option<(Verdict, String)> = None;
        for (row, credential) in summary.contains.iter_mut().zip(embedded) {
            let report = if super::clr::is_clr(credential) {
                cannot_check(t!(verify.record_in_record))
            } else {
                verify(credential, resolver, loader, status, now_ms)
            };
            checks.push(Check {
                label: words::check_contains(&row.name),
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
                words::reason_record_contains_invalid(inner.label().to_lowercase(), &name),
            ),
            (Verdict::Valid, None) => (
                Verdict::Valid,
                if unconfirmed {
                    reason
                } else {
                    t!(verify.reason_record_valid).to_owned()
                },
            ),
            other => (other.0, reason),
        }
    } else {
        (verdict, reason)
    };
    checks.push(Check {
        label: t!(verify.check_issuer).into(),
        ok: !unconfirmed,
        detail: if unconfirmed {
            t!(verify.issuer_unconfirmed).into()
        } else {
            words::issuer_confirmed(&signer)
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
