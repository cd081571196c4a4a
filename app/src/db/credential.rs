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
use crate::domain::time::{utc_date, xsd_date_time};
use anyhow::Context as _;
use serde_json::{json, Value};
use sqlx::{Any, Row as _, Transaction};

/// What the server is configured with to issue credentials.
#[derive(Clone, Debug)]
pub struct IssuerSettings {
    /// The public base URL (the DID derives from its host).
    pub base_url: String,
    /// The institution's name in credentials.
    pub name: String,
    /// The key sealing issuer secrets at rest.
    pub sealing: SealingKey,
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

/// URL of an achievement's image.
pub fn image_url(base: &str, framework: &str, key: &str) -> String {
    format!("{base}/badges/{framework}/{key}.svg")
}

/// Loads the newest unretired signing key, creating `key-1` on first start; makes sure the
/// status list exists. Fails (and the server does not start) when the sealing key cannot open
/// the stored key.
pub async fn load_issuer(db: &Db, settings: &IssuerSettings) -> anyhow::Result<Issuer> {
    // Two instances starting at once on an empty database both find no key; one creates it,
    // the other's insert does nothing and it reads the winner's key on its second pass.
    for _ in 0..2 {
        if let Some(issuer) = try_load_issuer(db, settings).await? {
            return Ok(issuer);
        }
    }
    anyhow::bail!("no signing key could be created or read")
}

async fn try_load_issuer(db: &Db, settings: &IssuerSettings) -> anyhow::Result<Option<Issuer>> {
    let row = sqlx::query(
        "SELECT id, fragment, sealed_secret FROM issuer_keys WHERE retired_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.writer())
    .await
    .context("issuer key")?;
    let (key_id, fragment, signing) = match row {
        Some(r) => {
            let fragment: String = r.try_get(1)?;
            let sealed: String = r.try_get(2)?;
            let signing = settings
                .sealing
                .open(&sealed, &fragment)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            (r.try_get::<i64, _>(0)?, fragment, signing)
        }
        None => {
            let mut tx = db
                .begin_write()
                .await
                .context("begin creating the first key")?;
            let Some(created) = new_key_named(&mut tx, settings, "key-1").await? else {
                return Ok(None);
            };
            tx.commit().await.context("commit the first key")?;
            created
        }
    };
    let issuer = Issuer {
        did: did_web_for(&settings.base_url),
        base_url: settings.base_url.clone(),
        name: settings.name.clone(),
        key_id,
        fragment,
        signing,
    };
    let has_list: Option<i64> = sqlx::query_scalar("SELECT id FROM status_lists WHERE id = $1")
        .bind(STATUS_LIST)
        .fetch_optional(db.writer())
        .await
        .context("status list")?;
    if has_list.is_none() {
        let mut tx = db.begin_write().await.context("begin")?;
        write_status_list(&mut tx, &issuer, STATUS_LIST).await?;
        tx.commit().await.context("commit")?;
    }
    Ok(Some(issuer))
}

/// Creates the next signing key (`key-N`); `None` when another instance created a key of that
/// name at the same moment (nothing is written then).
async fn new_key(
    tx: &mut Transaction<'static, Any>,
    settings: &IssuerSettings,
) -> anyhow::Result<Option<(i64, String, ed25519_dalek::SigningKey)>> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issuer_keys")
        .fetch_one(&mut **tx)
        .await
        .context("count keys")?;
    new_key_named(tx, settings, &format!("key-{}", count + 1)).await
}

/// Creates a signing key named `fragment`; `None` when one of that name exists already (the
/// first key of two instances starting at once on an empty database).
async fn new_key_named(
    tx: &mut Transaction<'static, Any>,
    settings: &IssuerSettings,
    fragment: &str,
) -> anyhow::Result<Option<(i64, String, ed25519_dalek::SigningKey)>> {
    let fragment = fragment.to_owned();
    let signing = generate_key();
    let sealed = settings
        .sealing
        .seal(&signing, &fragment)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO issuer_keys (fragment, public_key, sealed_secret, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (fragment) DO NOTHING RETURNING id",
    )
    .bind(&fragment)
    .bind(public_key_multibase(&signing.verifying_key()))
    .bind(sealed)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await
    .context("insert key")?;
    Ok(id.map(|id| (id, fragment, signing)))
}

/// Retires the signing key and creates the next one; the retired key stays in did.json so the
/// credentials it signed still verify. Answers the new key's fragment. (A running server keeps
/// signing with the key it loaded until it restarts; both keys verify.)
pub async fn rotate_key(db: &Db, settings: &IssuerSettings) -> anyhow::Result<String> {
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query("UPDATE issuer_keys SET retired_at = $1 WHERE retired_at IS NULL")
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .context("retire")?;
    let (_, fragment, _) = new_key(&mut tx, settings)
        .await?
        .context("another key rotation ran at the same moment; run it again")?;
    audit::record_in(
        &mut tx,
        None,
        "issuer.rotate_key",
        "issuer",
        &json!({ "new_key": fragment }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(fragment)
}

/// The issuer's DID document: every key ever used, all authorized for `assertionMethod`.
pub async fn did_document(db: &Db, did: &str) -> anyhow::Result<Value> {
    let rows = sqlx::query("SELECT fragment, public_key FROM issuer_keys ORDER BY id")
        .fetch_all(db.pool())
        .await
        .context("keys")?;
    let mut methods = Vec::new();
    let mut ids = Vec::new();
    for r in rows {
        let fragment: String = r.try_get(0)?;
        let public_key: String = r.try_get(1)?;
        let id = format!("{did}#{fragment}");
        methods.push(json!({
            "id": id,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key,
        }));
        ids.push(Value::String(id));
    }
    Ok(json!({
        "@context": [crate::credentials::loader::DID_V1, crate::credentials::loader::MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }))
}

/// A key resolver knowing this issuer's DID document (and did:key).
pub async fn resolver(db: &Db, did: &str) -> anyhow::Result<Resolver> {
    Resolver::new()
        .with_did_document(did_document(db, did).await?)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The signed status list credential, as stored.
pub async fn status_list(db: &Db, list: i64) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT document FROM status_lists WHERE id = $1")
        .bind(list)
        .fetch_optional(db.pool())
        .await
        .context("status list")
}

/// Rebuilds, signs and stores a status list from the revocations (in the caller's transaction).
async fn write_status_list(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    list: i64,
) -> anyhow::Result<()> {
    // Hold the list's row first: of two revocations at once (PostgreSQL), the second waits
    // here and then reads the first's revocation too, instead of writing a list without it.
    sqlx::query("UPDATE status_lists SET updated_at = updated_at WHERE id = $1")
        .bind(list)
        .execute(&mut **tx)
        .await
        .context("hold the status list")?;
    let revoked: Vec<i64> = sqlx::query_scalar(
        "SELECT status_index FROM credentials WHERE status_list = $1 AND revoked_at IS NOT NULL",
    )
    .bind(list)
    .fetch_all(&mut **tx)
    .await
    .context("revoked")?;
    let mut bits = Bitstring::default();
    for i in revoked {
        bits.set(usize::try_from(i).unwrap_or(usize::MAX));
    }
    let now = now_ms();
    let url = status_list_url(&issuer.base_url, list);
    let unsigned = status::list_credential(&url, &issuer.did, &xsd_date_time(now), &bits);
    let signed = sign_document(issuer, &unsigned, now)?;
    sqlx::query(
        "INSERT INTO status_lists (id, document, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
    )
    .bind(list)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("store status list")?;
    Ok(())
}

fn sign_document(issuer: &Issuer, unsigned: &Value, now: i64) -> anyhow::Result<Value> {
    let options = ProofOptions::assertion(issuer.verification_method(), Some(xsd_date_time(now)));
    sign(
        unsigned,
        &options,
        &issuer.signing,
        ContextLoader::bundled(),
    )
    .map_err(|e| anyhow::anyhow!("signing: {e}"))
}

/// A framework's credential texts, `None` when it awards none.
struct FrameworkCredential {
    id: i64,
    slug: String,
    title: String,
    language: String,
    name: String,
    description: String,
    criteria: String,
}

/// A domain with its live competencies.
struct DomainScope {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    number: usize,
}

async fn framework_credential(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
) -> anyhow::Result<Option<FrameworkCredential>> {
    let r = sqlx::query(
        "SELECT id, slug, title, language, credential_name, credential_description, credential_criteria \
         FROM frameworks WHERE id = $1",
    )
    .bind(framework_id)
    .fetch_one(&mut **tx)
    .await
    .context("framework")?;
    let name: String = r.try_get(4)?;
    if name.is_empty() {
        return Ok(None);
    }
    Ok(Some(FrameworkCredential {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        title: r.try_get(2)?,
        language: r.try_get(3)?,
        name,
        description: r.try_get(5)?,
        criteria: r.try_get(6)?,
    }))
}

async fn domains(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
) -> anyhow::Result<Vec<DomainScope>> {
    let rows = sqlx::query(
        "SELECT id, slug, title, summary FROM domains WHERE framework_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(framework_id)
    .fetch_all(&mut **tx)
    .await
    .context("domains")?;
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(DomainScope {
                id: r.try_get(0)?,
                slug: r.try_get(1)?,
                title: r.try_get(2)?,
                summary: r.try_get(3)?,
                number: i + 1,
            })
        })
        .collect()
}

/// Competencies (id, slug, title, description) of a domain, or of the framework when `domain`
/// is `None`.
async fn competencies(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
    domain: Option<i64>,
) -> anyhow::Result<Vec<(i64, String, String, String)>> {
    let rows = sqlx::query(
        "SELECT c.id, c.slug, c.title, c.description FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL AND ($2 = 0 OR c.domain_id = $2) \
         ORDER BY d.position, c.position",
    )
    .bind(framework_id)
    .bind(domain.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await
    .context("competencies")?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}

/// The achievement of a domain (`Some`) or of the whole micro-credential.
async fn achievement_def(
    tx: &mut Transaction<'static, Any>,
    base: &str,
    fc: &FrameworkCredential,
    domain: Option<&DomainScope>,
) -> anyhow::Result<(String, AchievementDef)> {
    let comps = competencies(tx, fc.id, domain.map(|d| d.id)).await?;
    let mut indicators = Vec::new();
    for (id, _, title, _) in &comps {
        let rows = sqlx::query(
            "SELECT slug, text FROM indicators WHERE competency_id = $1 AND retired_at IS NULL ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .context("indicators")?;
        for r in rows {
            indicators.push(IndicatorDef {
                slug: r.try_get(0)?,
                text: r.try_get(1)?,
                competency: title.clone(),
            });
        }
    }
    let key = domain.map_or_else(|| WHOLE.to_owned(), |d| d.slug.clone());
    let titles: Vec<&str> = comps.iter().map(|c| c.2.as_str()).collect();
    let (name, description, criteria) = match domain {
        Some(d) => (
            format!("{}: {}", d.title, fc.name),
            d.summary.clone(),
            format!(
                "Judged Competent by an assessor in every competency of the {} domain of the {} ({}). For each competency the holder submitted a rationale per indicator with evidence from their own practice; an assessor rated each indicator Not evident, Partly evident or Evident and judged the competency against the framework's rule.",
                d.title,
                fc.title,
                titles.join("; ")
            ),
        ),
        None => (fc.name.clone(), fc.description.clone(), fc.criteria.clone()),
    };
    let design = crate::credentials::image::Design {
        key: key.clone(),
        title: domain.map_or_else(|| fc.name.clone(), |d| d.title.clone()),
        number: domain.map_or(0, |d| u8::try_from(d.number).unwrap_or(0)),
    };
    let def = AchievementDef {
        id: achievement_url(base, &fc.slug, &key),
        name,
        description,
        criteria,
        image: image_url(base, &fc.slug, &key),
        caption: crate::credentials::image::badge_caption(&design),
        language: fc.language.clone(),
        framework: fc.title.clone(),
        alignments: comps
            .iter()
            .map(|(_, slug, title, description)| AlignmentDef {
                code: slug.clone(),
                name: title.clone(),
                url: format!("{base}/frameworks/{}/competencies/{slug}", fc.slug),
                description: description.replace('\n', " "),
            })
            .collect(),
        indicators,
    };
    Ok((key, def))
}

/// The achievement JSON of `<framework>/<key>` (public; `None` when there is no such badge).
pub async fn achievement_json(
    db: &Db,
    base: &str,
    framework: &str,
    key: &str,
) -> anyhow::Result<Option<Value>> {
    // Read-only, but the helpers share the writer's transaction type.
    let mut tx = db.pool().begin().await.context("begin")?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM frameworks WHERE slug = $1")
        .bind(framework)
        .fetch_optional(&mut *tx)
        .await
        .context("framework")?;
    let Some(id) = id else { return Ok(None) };
    let Some(fc) = framework_credential(&mut tx, id).await? else {
        return Ok(None);
    };
    let all = domains(&mut tx, id).await?;
    let domain = all.iter().find(|d| d.slug == key);
    if domain.is_none() && key != WHOLE {
        return Ok(None);
    }
    let (_, def) = achievement_def(&mut tx, base, &fc, domain).await?;
    tx.rollback().await.ok();
    Ok(Some(ob3::achievement(&def)))
}

/// The badge design of `<framework>/<key>`, for its image.
pub async fn design(
    db: &Db,
    framework: &str,
    key: &str,
) -> anyhow::Result<Option<crate::credentials::image::Design>> {
    let rows = sqlx::query(
        "SELECT d.slug, d.title, f.credential_name FROM domains d JOIN frameworks f ON f.id = d.framework_id \
         WHERE f.slug = $1 AND d.retired_at IS NULL AND f.credential_name <> '' ORDER BY d.position",
    )
    .bind(framework)
    .fetch_all(db.pool())
    .await
    .context("designs")?;
    let mut whole = None;
    for (i, r) in rows.iter().enumerate() {
        let slug: String = r.try_get(0)?;
        whole = Some(r.try_get::<String, _>(2)?);
        if slug == key {
            return Ok(Some(crate::credentials::image::Design {
                key: slug,
                title: r.try_get(1)?,
                number: u8::try_from(i + 1).unwrap_or(0),
            }));
        }
    }
    Ok(whole
        .filter(|_| key == WHOLE)
        .map(|name| crate::credentials::image::Design {
            key: WHOLE.to_owned(),
            title: name,
            number: 0,
        }))
}

/// The deciding review's ratings (indicator slug → level) and a description of the evidence
/// of the teacher's Competent submission for a competency, if there is one.
async fn competent_submission(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    competency_id: i64,
    title: &str,
) -> anyhow::Result<Option<(Vec<(String, RubricLevel)>, EvidenceDef)>> {
    let row = sqlx::query(
        "SELECT s.id, s.attempt, s.submitted_at, s.decided_at, s.snapshot, \
         CASE WHEN m.resolution = 'second' THEN 'second' ELSE 'first' END \
         FROM submissions s LEFT JOIN moderations m ON m.submission_id = s.id \
         WHERE s.user_id = $1 AND s.competency_id = $2 AND s.status = 'competent' \
         ORDER BY s.attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(&mut **tx)
    .await
    .context("competent submission")?;
    let Some(r) = row else { return Ok(None) };
    let id: i64 = r.try_get(0)?;
    let attempt: i64 = r.try_get(1)?;
    let submitted: Option<i64> = r.try_get(2)?;
    let decided: Option<i64> = r.try_get(3)?;
    let snapshot: Option<String> = r.try_get(4)?;
    let kind: String = r.try_get(5)?;
    let ratings = sqlx::query(
        "SELECT i.slug, rr.level FROM reviews rv JOIN review_ratings rr ON rr.review_id = rv.id \
         JOIN indicators i ON i.id = rr.indicator_id \
         WHERE rv.submission_id = $1 AND rv.kind = $2 ORDER BY i.position",
    )
    .bind(id)
    .bind(&kind)
    .fetch_all(&mut **tx)
    .await
    .context("ratings")?;
    let mut levels = Vec::new();
    for rr in ratings {
        let level: i64 = rr.try_get(1)?;
        if let Some(l) = RubricLevel::from_value(level) {
            levels.push((rr.try_get::<String, _>(0)?, l));
        }
    }
    let snapshot: Option<Snapshot> = snapshot.and_then(|s| serde_json::from_str(&s).ok());
    let description = evidence_description(snapshot.as_ref(), attempt, submitted, decided);
    Ok(Some((
        levels,
        EvidenceDef {
            name: format!("Assessed evidence for {title}"),
            description,
        },
    )))
}

/// What was assessed, in counts only: no text, file or link leaves the service.
fn evidence_description(
    snapshot: Option<&Snapshot>,
    attempt: i64,
    submitted: Option<i64>,
    decided: Option<i64>,
) -> String {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut rationales = 0;
    if let Some(s) = snapshot {
        for i in &s.indicators {
            if !i.rationale.trim().is_empty() {
                rationales += 1;
            }
            for e in &i.evidence {
                *counts.entry(e.kind.as_str()).or_default() += 1;
            }
        }
        for e in &s.general {
            *counts.entry(e.kind.as_str()).or_default() += 1;
        }
    }
    let noun = |kind: &str, n: usize| -> String {
        let (one, many) = match kind {
            "journal" => ("reflection journal entry", "reflection journal entries"),
            "rating" => (
                "checklist self-rating with notes",
                "checklist self-ratings with notes",
            ),
            "upload" => ("document", "documents"),
            "link" => ("link to practice", "links to practice"),
            _ => ("other item", "other items"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let items: Vec<String> = counts.iter().map(|(k, n)| noun(k, *n)).collect();
    let when = match (submitted, decided) {
        (Some(s), Some(d)) => format!(
            ", submitted {} and judged Competent {}",
            utc_date(s),
            utc_date(d)
        ),
        _ => String::new(),
    };
    format!(
        "Attempt {attempt}{when}: a written rationale for {rationales} indicator{} supported by {}. The evidence itself stays private to the holder and the assessors.",
        if rationales == 1 { "" } else { "s" },
        if items.is_empty() { "no further items".to_owned() } else { items.join(", ") }
    )
}

/// A free random slot in the status list.
async fn free_status_index(tx: &mut Transaction<'static, Any>) -> anyhow::Result<i64> {
    for _ in 0..64 {
        let candidate = i64::from(rand::Rng::random_range(
            &mut rand::rng(),
            0..u32::try_from(LIST_BITS).unwrap_or(u32::MAX),
        ));
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM credentials WHERE status_list = $1 AND status_index = $2",
        )
        .bind(STATUS_LIST)
        .bind(candidate)
        .fetch_optional(&mut **tx)
        .await
        .context("status slot")?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    anyhow::bail!("the status list is full")
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::Rng::fill(&mut rand::rng(), &mut b[..]);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Issues one credential in the caller's transaction; answers its public id.
#[allow(clippy::too_many_arguments)]
async fn issue(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    user_id: i64,
    fc: &FrameworkCredential,
    key: &str,
    def: &AchievementDef,
    results: Vec<(String, RubricLevel)>,
    evidence: Vec<EvidenceDef>,
    now: i64,
) -> anyhow::Result<String> {
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await
        .context("holder")?;
    let public_id = random_hex(16);
    let index = free_status_index(tx).await?;
    let list_url = status_list_url(&issuer.base_url, STATUS_LIST);
    let award = AwardDef {
        id: credential_url(&issuer.base_url, &public_id),
        valid_from: xsd_date_time(now),
        valid_until: None,
        email,
        salt: random_hex(16),
        results,
        evidence,
        status: status::list_entry(&list_url, index),
    };
    let unsigned = ob3::credential(issuer, def, &award);
    let signed = sign_document(issuer, &unsigned, now)?;
    let achievement = if key == WHOLE {
        WHOLE.to_owned()
    } else {
        format!("domain:{key}")
    };
    sqlx::query(
        "INSERT INTO credentials (public_id, user_id, framework_id, achievement, status_list, status_index, \
         key_id, document, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&public_id)
    .bind(user_id)
    .bind(fc.id)
    .bind(&achievement)
    .bind(STATUS_LIST)
    .bind(index)
    .bind(issuer.key_id)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("store credential")?;
    audit::record_in(
        tx,
        None,
        "credential.issue",
        &format!("credential:{public_id}"),
        &json!({ "user": user_id, "achievement": achievement, "framework": fc.slug }).to_string(),
    )
    .await?;
    Ok(public_id)
}

async fn holds(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    framework_id: i64,
    achievement: &str,
) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM credentials WHERE user_id = $1 AND framework_id = $2 AND achievement = $3 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(framework_id)
    .bind(achievement)
    .fetch_optional(&mut **tx)
    .await
    .context("held")?;
    Ok(found.is_some())
}

/// After a competency of `user_id` was judged Competent (in the caller's transaction, before it
/// commits): issues the domain's badge when every competency of the domain is Competent, then
/// the whole micro-credential when every domain's badge is held. Never issues a live
/// credential twice. Answers the public ids issued.
pub async fn award_in(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<Vec<String>> {
    // Serializes awards for one teacher: two decisions committing at once on PostgreSQL would
    // otherwise each miss the other's Competent.
    super::hold(tx, super::Held::User, user_id).await?;
    let r = sqlx::query("SELECT framework_id, domain_id FROM competencies WHERE id = $1")
        .bind(competency_id)
        .fetch_one(&mut **tx)
        .await
        .context("competency")?;
    let (framework_id, domain_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
    let Some(fc) = framework_credential(tx, framework_id).await? else {
        return Ok(Vec::new());
    };
    let all = domains(tx, framework_id).await?;
    let now = now_ms();
    let mut issued = Vec::new();
    let mut whole_results = Vec::new();
    let mut whole_evidence = Vec::new();
    let mut every_domain_held = true;
    for d in &all {
        let mut results = Vec::new();
        let mut evidence = Vec::new();
        let mut complete = true;
        for (cid, _, title, _) in competencies(tx, framework_id, Some(d.id)).await? {
            match competent_submission(tx, user_id, cid, &title).await? {
                Some((levels, e)) => {
                    results.extend(levels);
                    evidence.push(e);
                }
                None => complete = false,
            }
        }
        let key = format!("domain:{}", d.slug);
        let held = holds(tx, user_id, framework_id, &key).await?;
        if complete && !held && d.id == domain_id {
            let (k, def) = achievement_def(tx, &issuer.base_url, &fc, Some(d)).await?;
            issued.push(
                issue(
                    tx,
                    issuer,
                    user_id,
                    &fc,
                    &k,
                    &def,
                    results.clone(),
                    evidence.clone(),
                    now,
                )
                .await?,
            );
        } else if !held {
            every_domain_held = false;
        }
        whole_results.extend(results);
        whole_evidence.extend(evidence);
    }
    if every_domain_held && !all.is_empty() && !holds(tx, user_id, framework_id, WHOLE).await? {
        let (k, def) = achievement_def(tx, &issuer.base_url, &fc, None).await?;
        issued.push(
            issue(
                tx,
                issuer,
                user_id,
                &fc,
                &k,
                &def,
                whole_results,
                whole_evidence,
                now,
            )
            .await?,
        );
    }
    Ok(issued)
}

/// Revokes the live credentials a changed decision no longer supports (a moderation that turns
/// a Competent into Not yet): the competency's domain badge and the whole micro-credential.
pub async fn revoke_for_competency_in(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    actor: i64,
    user_id: i64,
    competency_id: i64,
    reason: &str,
) -> anyhow::Result<usize> {
    // The same order as awards: a domain badge awarded at the same moment is seen here.
    super::hold(tx, super::Held::User, user_id).await?;
    let domain: String = sqlx::query_scalar(
        "SELECT d.slug FROM competencies c JOIN domains d ON d.id = c.domain_id WHERE c.id = $1",
    )
    .bind(competency_id)
    .fetch_one(&mut **tx)
    .await
    .context("domain")?;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT public_id FROM credentials WHERE user_id = $1 AND revoked_at IS NULL \
         AND (achievement = $2 OR achievement = $3) \
         AND framework_id = (SELECT framework_id FROM competencies WHERE id = $4)",
    )
    .bind(user_id)
    .bind(format!("domain:{domain}"))
    .bind(WHOLE)
    .bind(competency_id)
    .fetch_all(&mut **tx)
    .await
    .context("credentials to revoke")?;
    for id in &ids {
        mark_revoked(tx, actor, id, reason).await?;
    }
    if !ids.is_empty() {
        write_status_list(tx, issuer, STATUS_LIST).await?;
    }
    Ok(ids.len())
}

async fn mark_revoked(
    tx: &mut Transaction<'static, Any>,
    actor: i64,
    public_id: &str,
    reason: &str,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE credentials SET revoked_at = $1, revoked_by = $2, revoked_reason = $3 \
         WHERE public_id = $4 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(actor)
    .bind(reason)
    .bind(public_id)
    .execute(&mut **tx)
    .await
    .context("revoke")?;
    if changed.rows_affected() == 1 {
        audit::record_in(
            tx,
            Some(actor),
            "credential.revoke",
            &format!("credential:{public_id}"),
            &json!({ "reason": reason }).to_string(),
        )
        .await?;
    }
    Ok(changed.rows_affected() == 1)
}

/// Why a revocation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeRefused {
    /// No such credential, or not one of the viewer's cohorts' teachers.
    NotFound,
    /// Already revoked.
    AlreadyRevoked,
}

/// Who holds a credential (`None`: no such credential).
pub async fn holder(db: &Db, public_id: &str) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM credentials WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(db.pool())
        .await
        .context("the credential's holder")
}

/// A coordinator of `cohort_id` revokes a credential of a teacher of that cohort, with a
/// reason: the credential, the status list and the audit row change together. The caller
/// checks its authority over the holder first ([`crate::domain::authority`]).
pub async fn revoke(
    db: &Db,
    issuer: &Issuer,
    viewer: super::review::Viewer,
    cohort_id: i64,
    public_id: &str,
    reason: &str,
) -> anyhow::Result<Result<(), RevokeRefused>> {
    let mut tx = db.begin_write().await.context("begin")?;
    let row = sqlx::query(&format!(
        "SELECT revoked_at FROM credentials WHERE public_id = $3 AND user_id <> $1 AND user_id IN \
         (SELECT m.user_id FROM memberships m WHERE m.role = 'teacher' AND m.cohort_id = $4 \
          AND m.cohort_id IN ({COORDINATOR_COHORTS}))"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(public_id)
    .bind(cohort_id)
    .fetch_optional(&mut *tx)
    .await
    .context("credential")?;
    let Some(r) = row else {
        return Ok(Err(RevokeRefused::NotFound));
    };
    if r.try_get::<Option<i64>, _>(0)?.is_some() {
        return Ok(Err(RevokeRefused::AlreadyRevoked));
    }
    if !mark_revoked(&mut tx, viewer.user_id, public_id, reason).await? {
        return Ok(Err(RevokeRefused::AlreadyRevoked));
    }
    write_status_list(&mut tx, issuer, STATUS_LIST).await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(()))
}

/// The credentials of the teachers of a cohort, for its coordinators (`None`: not theirs).
pub async fn of_cohort(
    db: &Db,
    viewer: super::review::Viewer,
    cohort_id: i64,
) -> anyhow::Result<Option<Vec<CohortCredential>>> {
    let allowed: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM cohorts WHERE id = $3 AND id IN ({COORDINATOR_COHORTS})"
    ))
    .bind(viewer.user_id)
    .bind(i64::from(viewer.is_admin))
    .bind(cohort_id)
    .fetch_optional(db.pool())
    .await
    .context("cohort")?;
    if allowed.is_none() {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT c.public_id, u.name, c.document, c.issued_at, c.revoked_at, c.revoked_reason \
         FROM credentials c JOIN users u ON u.id = c.user_id \
         WHERE c.user_id IN (SELECT user_id FROM memberships WHERE cohort_id = $1 AND role = 'teacher') \
         AND EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = c.user_id AND s.cohort_id = $1 \
                     AND s.status = 'competent') \
         ORDER BY c.issued_at DESC, c.id DESC",
    )
    .bind(cohort_id)
    .fetch_all(db.pool())
    .await
    .context("cohort credentials")?;
    rows.iter()
        .map(|r| {
            let document: String = r.try_get(2)?;
            Ok(CohortCredential {
                public_id: r.try_get(0)?,
                holder: r.try_get(1)?,
                name: achievement_name(&document),
                issued: utc_date(r.try_get(3)?),
                revoked: revocation(r.try_get(4)?, r.try_get(5)?),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map(Some)
}

fn achievement_name(document: &str) -> String {
    serde_json::from_str::<Value>(document)
        .ok()
        .and_then(|d| {
            d.pointer("/credentialSubject/achievement/name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn revocation(at: Option<i64>, reason: String) -> Option<Revocation> {
    at.map(|at| Revocation {
        on: utc_date(at),
        reason,
    })
}

/// The holder's credentials, newest first.
pub async fn mine(db: &Db, issuer: &Issuer, user_id: i64) -> anyhow::Result<Vec<MyCredential>> {
    let rows = sqlx::query(
        "SELECT public_id, document, issued_at, revoked_at, revoked_reason, show_name \
         FROM credentials WHERE user_id = $1 ORDER BY issued_at DESC, id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("credentials")?;
    rows.iter()
        .map(|r| {
            let public_id: String = r.try_get(0)?;
            let document: String = r.try_get(1)?;
            let doc: Value = serde_json::from_str(&document).unwrap_or(Value::Null);
            let s = verify::summary(&doc);
            let issued: i64 = r.try_get(2)?;
            Ok(MyCredential {
                linkedin: linkedin_url(
                    &s.name,
                    &issuer.name,
                    issued,
                    &credential_url(&issuer.base_url, &public_id),
                    &public_id,
                ),
                public_id,
                name: s.name,
                image: s.image,
                caption: s.caption,
                issued: utc_date(issued),
                revoked: revocation(r.try_get(3)?, r.try_get(4)?),
                show_name: r.try_get::<i64, _>(5)? != 0,
            })
        })
        .collect()
}

/// The holder chooses whether the public page shows their name. `false`: not theirs.
pub async fn set_show_name(
    db: &Db,
    user_id: i64,
    public_id: &str,
    show: bool,
) -> anyhow::Result<bool> {
    let changed =
        sqlx::query("UPDATE credentials SET show_name = $1 WHERE public_id = $2 AND user_id = $3")
            .bind(i64::from(show))
            .bind(public_id)
            .bind(user_id)
            .execute(db.writer())
            .await
            .context("show name")?;
    Ok(changed.rows_affected() == 1)
}

/// The stored signed document and its achievement key (for downloads), if it exists.
pub async fn document(
    db: &Db,
    public_id: &str,
) -> anyhow::Result<Option<(String, String, String)>> {
    let row = sqlx::query(
        "SELECT c.document, c.achievement, f.slug FROM credentials c JOIN frameworks f ON f.id = c.framework_id WHERE c.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(db.pool())
    .await
    .context("credential")?;
    row.map(|r| {
        let achievement: String = r.try_get(1)?;
        Ok((
            r.try_get(0)?,
            achievement.trim_start_matches("domain:").to_owned(),
            r.try_get(2)?,
        ))
    })
    .transpose()
}

/// Verifies any document: our own DID and status list are read from the database (no
/// network); other issuers' status lists are reported as not checkable. Our status list is
/// consulted only for a document whose issuer is our DID (the signature check then confirms
/// the key is ours) and only for a `BitstringStatusListEntry` of purpose `revocation`.
pub async fn verify_document(
    db: &Db,
    issuer: &Issuer,
    doc: &Value,
) -> anyhow::Result<Verification> {
    let resolver = resolver(db, &issuer.did).await?;
    let our_list = status_list_url(&issuer.base_url, STATUS_LIST);
    let ours = issuer_of(doc) == issuer.did;
    let entry = doc.get("credentialStatus").cloned();
    let answer = match entry {
        None => StatusAnswer::None,
        Some(e)
            if e.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry")
                || e.get("statusPurpose").and_then(Value::as_str) != Some("revocation") =>
        {
            StatusAnswer::Unknown(
                "its status entry is not a BitstringStatusListEntry for revocation".into(),
            )
        }
        Some(_) if !ours => StatusAnswer::Unknown(
            "it names a status list of another issuer, and this page does not fetch other sites"
                .into(),
        ),
        Some(e) => {
            let list = e
                .get("statusListCredential")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let index = e
                .get("statusListIndex")
                .and_then(Value::as_str)
                .and_then(|i| i.parse::<i64>().ok());
            match (list == our_list, index) {
                (true, Some(index)) => {
                    let stored: Option<String> = status_list(db, STATUS_LIST).await?;
                    let bits = stored
                        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                        .and_then(|d| {
                            d.pointer("/credentialSubject/encodedList")
                                .and_then(Value::as_str)
                                .and_then(|e| Bitstring::decode(e).ok())
                        });
                    match bits {
                        Some(bits) if bits.get(usize::try_from(index).unwrap_or(usize::MAX)) => {
                            StatusAnswer::Revoked
                        }
                        Some(_) => StatusAnswer::Active,
                        None => StatusAnswer::Unknown("the status list could not be read".into()),
                    }
                }
                (true, None) => StatusAnswer::Unknown("its status list index is not a number".into()),
                (false, _) => StatusAnswer::Unknown(format!(
                    "its status list ({list}) is not this service's, and this page does not fetch other sites"
                )),
            }
        }
    };
    let now = now_ms();
    // Expansion and canonicalisation cost CPU in proportion to the document: off the async
    // workers, a core at a time.
    let doc = doc.clone();
    crate::work::cpu("verify a credential", move || {
        verify::verify(
            &doc,
            &resolver,
            ContextLoader::bundled(),
            &move |_| answer.clone(),
            now,
        )
    })
    .await
}

/// The issuer's id of a credential (`issuer` as a string or an object's `id`), or "".
pub fn issuer_of(doc: &Value) -> &str {
    match doc.get("issuer") {
        Some(Value::String(s)) => s,
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    }
}

/// Whether a verification report shows a credential issued here: its signature verified with
/// a key our DID publishes (the verifier has checked that the signing key's controller is the
/// document's issuer).
pub fn is_ours(report: &Verification, issuer: &Issuer) -> bool {
    report.signer.as_deref() == Some(issuer.did.as_str())
}

/// The public page of a credential: verified now from the stored document.
pub async fn page(
    db: &Db,
    issuer: &Issuer,
    public_id: &str,
    viewer: Option<i64>,
) -> anyhow::Result<Option<CredentialPage>> {
    let row = sqlx::query(
        "SELECT c.document, c.user_id, c.show_name, c.revoked_at, c.revoked_reason, u.name, c.issued_at \
         FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(db.pool())
    .await
    .context("credential")?;
    let Some(r) = row else { return Ok(None) };
    let document: String = r.try_get(0)?;
    let doc: Value = serde_json::from_str(&document).context("stored credential")?;
    let holder_id: i64 = r.try_get(1)?;
    let show_name = r.try_get::<i64, _>(2)? != 0;
    let verification = verify_document(db, issuer, &doc).await?;
    let name = verification
        .summary
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let issued: i64 = r.try_get(6)?;
    Ok(Some(CredentialPage {
        public_id: public_id.to_owned(),
        holder: show_name.then(|| r.try_get::<String, _>(5)).transpose()?,
        revoked: revocation(r.try_get(3)?, r.try_get(4)?),
        is_holder: viewer == Some(holder_id),
        show_name,
        linkedin: linkedin_url(
            &name,
            &issuer.name,
            issued,
            &credential_url(&issuer.base_url, public_id),
            public_id,
        ),
        verification,
    }))
}
