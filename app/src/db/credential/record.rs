//! The signed Learning Statement: a CLR 2.0 `ClrCredential` of the holder's live badges and the
//! parts of their statement they chose ([`crate::credentials::clr`]). Stored as a credential
//! like the badges (achievement key [`RECORD`]), so it has a public page, a status list entry
//! and the same revocation; one is live per holder at a time.

use super::*;
use crate::credentials::clr::{self, RecordDef, StatementPart};
use crate::domain::statement::{LearningStatement, Part, SignedRecord};

/// Achievement key of a signed Learning Statement in `credentials.achievement`.
pub const RECORD: &str = "learning-record";

/// Why a record was not signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordRefused {
    /// No framework is loaded, or it awards no credential.
    NoFramework,
    /// The holder has no live badge: a CLR embeds at least one credential (CLR 2.0,
    /// `ClrSubject.verifiableCredential` is required).
    NoBadge,
}

#[derive(sqlx::FromRow)]
struct BadgeRow {
    document: String,
    framework_id: i64,
    achievement: String,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    public_id: String,
    issued_at: i64,
    revoked_at: Option<i64>,
    revoked_reason: String,
}

/// The parts of a statement a record carries as `evidence`, in the statement's order. The
/// programme is the record's description and the credentials are embedded, so neither is here.
pub fn statement_parts(s: &LearningStatement) -> Vec<StatementPart> {
    let by_holder = "Written by the holder.";
    let by_issuer = "Stated by the issuer from its records.";
    s.included
        .iter()
        .filter_map(|part| {
            let (narrative, description) = match part {
                Part::Programme | Part::Credentials => return None,
                Part::Competencies => (
                    s.competencies
                        .iter()
                        .map(|c| format!("{} — {}: {}", c.domain, c.title, c.status))
                        .collect::<Vec<_>>()
                        .join("; "),
                    by_issuer,
                ),
                Part::Growth => (
                    s.growth
                        .iter()
                        .map(|g| {
                            let level = |v: Option<u32>| {
                                v.map_or("not rated".to_owned(), |v| {
                                    format!("{:.1}", f64::from(v) / 100.0)
                                })
                            };
                            format!(
                                "{}: {} at the start, {} now (self-rated on 1 Not yet to 4 Demonstrating; {} of {} indicators rated)",
                                g.title,
                                level(g.baseline),
                                level(g.current),
                                g.rated,
                                g.total
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    "The holder's self-ratings, as recorded by the issuer.",
                ),
                written => (s.text(*written).trim().to_owned(), by_holder),
            };
            (!narrative.is_empty()).then(|| StatementPart {
                name: part.title().to_owned(),
                narrative,
                description: description.to_owned(),
            })
        })
        .collect()
}

/// Signs the holder's Learning Statement as a CLR: their live badges (in the order issued),
/// how they fit together and the parts they chose. A live record signed before is revoked
/// ("replaced") in the same transaction, so one stays live. Answers the new public id.
pub async fn sign_record(
    db: &Db,
    issuer: &Issuer,
    user_id: UserId,
) -> anyhow::Result<Result<String, RecordRefused>> {
    let Some(statement) = crate::db::statement::load(db, issuer, user_id.get()).await? else {
        return Ok(Err(RecordRefused::NoFramework));
    };
    let mut tx = db.begin_write().await.context("begin")?;
    // The same order as awards and revocations: a badge awarded or revoked at this moment is
    // either in the record or revokes it afterwards.
    crate::db::hold(&mut tx, crate::db::Held::User, user_id.get()).await?;
    let badges: Vec<BadgeRow> = sqlx::query_as(
        "SELECT document, framework_id, achievement FROM credentials \
         WHERE user_id = $1 AND revoked_at IS NULL AND achievement <> $2 ORDER BY issued_at, id",
    )
    .bind(user_id)
    .bind(RECORD)
    .fetch_all(&mut *tx)
    .await
    .context("badges")?;
    let Some(framework_id) = badges.first().map(|b| b.framework_id) else {
        return Ok(Err(RecordRefused::NoBadge));
    };
    let Some(fc) = framework_credential(&mut tx, framework_id).await? else {
        return Ok(Err(RecordRefused::NoFramework));
    };
    let holds_whole = badges.iter().any(|b| b.achievement == WHOLE);
    let credentials = badges
        .into_iter()
        .filter(|b| b.framework_id == framework_id)
        .map(|b| serde_json::from_str::<Value>(&b.document).context("stored credential"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let whole = if holds_whole {
        None
    } else {
        let (_, def) = achievement_def(&mut tx, &issuer.base_url, &fc, None).await?;
        Some(ob3::achievement(&def))
    };
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await
        .context("holder")?;
    let replaced = revoke_live_records(
        &mut tx,
        user_id,
        "Replaced by a newer signed Learning Statement.",
    )
    .await?;
    let now = now_ms();
    let public_id = random_hex(16);
    let index = free_status_index(&mut tx).await?;
    let def = RecordDef {
        id: credential_url(&issuer.base_url, &public_id),
        valid_from: xsd_date_time(now),
        name: format!("Learning Statement: {}", fc.name),
        description: if statement.includes(Part::Programme) {
            statement.programme.clone()
        } else {
            format!(
                "The holder's credentials in {}, with the parts of their Learning Statement they chose to include.",
                fc.name
            )
        },
        email,
        salt: random_hex(16),
        credentials,
        whole,
        whole_id: achievement_url(&issuer.base_url, &fc.slug, WHOLE),
        parts: statement_parts(&statement),
        status: status::list_entry(&status_list_url(&issuer.base_url, STATUS_LIST), index),
    };
    let unsigned = clr::credential(issuer, &def);
    let signer = issuer.clone();
    let signed = crate::work::cpu("sign a Learning Statement", move || {
        sign_document(&signer, &unsigned, now)
    })
    .await??;
    sqlx::query(
        "INSERT INTO credentials (public_id, user_id, framework_id, achievement, status_list, status_index, \
         key_id, document, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&public_id)
    .bind(user_id)
    .bind(framework_id)
    .bind(RECORD)
    .bind(STATUS_LIST)
    .bind(index)
    .bind(issuer.key_id)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("store record")?;
    audit::record_in(
        &mut tx,
        Some(user_id.get()),
        "credential.issue",
        &format!("credential:{public_id}"),
        &json!({ "user": user_id.get(), "achievement": RECORD, "framework": fc.slug,
                 "credentials": def.credentials.len(), "parts": def.parts.len() })
        .to_string(),
    )
    .await?;
    if replaced > 0 {
        write_status_list(&mut tx, issuer, STATUS_LIST).await?;
    }
    tx.commit().await.context("commit")?;
    Ok(Ok(public_id))
}

/// The holder withdraws their live signed Learning Statement (it carries their own texts, so
/// they may stop it verifying at any time): revoked with that reason. `false`: none was live.
pub async fn withdraw_record(db: &Db, issuer: &Issuer, user_id: UserId) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    if revoke_live_records(&mut tx, user_id, "Withdrawn by the holder.").await? == 0 {
        return Ok(false);
    }
    write_status_list(&mut tx, issuer, STATUS_LIST).await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}

/// Revokes the holder's live records, by the holder, with `reason` (in the caller's
/// transaction; the caller rewrites the status list). Answers how many.
async fn revoke_live_records(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    reason: &str,
) -> anyhow::Result<usize> {
    let live: Vec<String> = sqlx::query_scalar(
        "SELECT public_id FROM credentials WHERE user_id = $1 AND achievement = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(RECORD)
    .fetch_all(&mut **tx)
    .await
    .context("live records")?;
    for id in &live {
        mark_revoked(tx, user_id.get(), id, reason).await?;
    }
    Ok(live.len())
}

/// The holder's latest signed Learning Statement, live or not.
pub async fn latest_record(db: &Db, user_id: i64) -> anyhow::Result<Option<SignedRecord>> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT public_id, issued_at, revoked_at, revoked_reason FROM credentials \
         WHERE user_id = $1 AND achievement = $2 ORDER BY issued_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(RECORD)
    .fetch_optional(db.pool())
    .await
    .context("record")?;
    Ok(row.map(|r| SignedRecord {
        public_id: r.public_id,
        issued: utc_date(r.issued_at),
        revoked: revocation(r.revoked_at, r.revoked_reason)
            .map(|r| format!("{} (on {})", r.reason.trim_end_matches('.'), r.on)),
    }))
}

/// After a badge of a holder is revoked (in the caller's transaction): their live records
/// that embed it are revoked too (a record without it still tells the truth). Answers how
/// many. The caller rewrites the status list.
pub(super) async fn revoke_records_in(
    tx: &mut Transaction<'static, Any>,
    actor: i64,
    user_id: i64,
    badge_public_id: &str,
) -> anyhow::Result<usize> {
    let live: Vec<(String, String)> = sqlx::query_as(
        "SELECT public_id, document FROM credentials WHERE user_id = $1 AND achievement = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(RECORD)
    .fetch_all(&mut **tx)
    .await
    .context("records to revoke")?;
    let suffix = format!("/credentials/{badge_public_id}");
    let mut revoked = 0;
    for (id, document) in &live {
        let doc: Value = serde_json::from_str(document).context("stored record")?;
        let embeds = clr::embedded(&doc).iter().any(|c| {
            c.get("id")
                .and_then(Value::as_str)
                .is_some_and(|u| u.ends_with(&suffix))
        });
        if embeds {
            mark_revoked(
                tx,
                actor,
                id,
                "A credential it contains was revoked; the holder can sign a new one.",
            )
            .await?;
            revoked += 1;
        }
    }
    Ok(revoked)
}

/// After a withdrawn key's credentials were signed again: records embedding a badge the
/// withdrawn key signed get the badges as now stored, and are signed again. Answers how many.
pub(super) async fn refresh_records(
    db: &Db,
    issuer: &Issuer,
    withdrawn_vm: &str,
) -> anyhow::Result<u64> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, document FROM credentials WHERE achievement = $1 ORDER BY id")
            .bind(RECORD)
            .fetch_all(db.pool())
            .await
            .context("records")?;
    let mut refreshed = 0;
    for (id, document) in rows {
        let mut doc: Value = serde_json::from_str(&document).context("stored record")?;
        let stale = clr::embedded(&doc).iter().any(|c| {
            c.pointer("/proof/verificationMethod")
                .and_then(Value::as_str)
                == Some(withdrawn_vm)
        });
        if !stale {
            continue;
        }
        let ids: Vec<String> = clr::embedded(&doc)
            .iter()
            .filter_map(|c| c.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let mut current = Vec::new();
        for badge_id in ids {
            let public_id = badge_id.rsplit('/').next().unwrap_or_default().to_owned();
            let stored: Option<String> =
                sqlx::query_scalar("SELECT document FROM credentials WHERE public_id = $1")
                    .bind(&public_id)
                    .fetch_optional(db.pool())
                    .await
                    .context("embedded badge")?;
            let stored = stored.with_context(|| format!("badge {public_id} of record {id}"))?;
            current.push(serde_json::from_str::<Value>(&stored).context("stored credential")?);
        }
        if let Some(map) = doc.as_object_mut() {
            map.remove("proof");
        }
        if let Some(subject) = doc
            .get_mut("credentialSubject")
            .and_then(Value::as_object_mut)
        {
            subject.insert("verifiableCredential".into(), current.into());
        }
        let signed = sign_document(issuer, &doc, now_ms())?;
        sqlx::query("UPDATE credentials SET document = $1, key_id = $2 WHERE id = $3")
            .bind(signed.to_string())
            .bind(issuer.key_id)
            .bind(id)
            .execute(db.writer())
            .await
            .context("sign record again")?;
        refreshed += 1;
    }
    Ok(refreshed)
}
