//! What a badge says: the framework's achievements, their texts and designs, and signing.

use super::*;

pub(super) fn sign_document(issuer: &Issuer, unsigned: &Value, now: i64) -> anyhow::Result<Value> {
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
#[derive(sqlx::FromRow)]
pub(super) struct FrameworkCredential {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) language: String,
    #[sqlx(rename = "credential_name")]
    pub(super) name: String,
    #[sqlx(rename = "credential_description")]
    pub(super) description: String,
    #[sqlx(rename = "credential_criteria")]
    pub(super) criteria: String,
}

/// A domain with its live competencies.
#[derive(sqlx::FromRow)]
pub(super) struct DomainScope {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) summary: String,
    /// Its place in the framework, from 1 (not a column).
    #[sqlx(skip)]
    pub(super) number: usize,
}

/// A live competency and the texts its badge alignment shows.
#[derive(sqlx::FromRow)]
pub(super) struct CompetencyText {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) description: String,
}

/// An indicator's slug and text.
#[derive(sqlx::FromRow)]
struct IndicatorText {
    slug: String,
    text: String,
}

/// A domain's badge design facts.
#[derive(sqlx::FromRow)]
struct DesignRow {
    slug: String,
    title: String,
    credential_name: String,
}

pub(super) async fn framework_credential(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
) -> anyhow::Result<Option<FrameworkCredential>> {
    let fc: FrameworkCredential = sqlx::query_as(
        "SELECT id, slug, title, language, credential_name, credential_description, credential_criteria \
         FROM frameworks WHERE id = $1",
    )
    .bind(framework_id)
    .fetch_one(&mut **tx)
    .await
    .with_context(|| format!("framework {framework_id}"))?;
    Ok((!fc.name.is_empty()).then_some(fc))
}

pub(super) async fn domains(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
) -> anyhow::Result<Vec<DomainScope>> {
    let mut rows: Vec<DomainScope> = sqlx::query_as(
        "SELECT id, slug, title, summary FROM domains WHERE framework_id = $1 AND retired_at IS NULL ORDER BY position",
    )
    .bind(framework_id)
    .fetch_all(&mut **tx)
    .await
    .context("domains")?;
    for (i, d) in rows.iter_mut().enumerate() {
        d.number = i + 1;
    }
    Ok(rows)
}

/// Competencies of a domain, or of the framework when `domain` is `None`.
pub(super) async fn competencies(
    tx: &mut Transaction<'static, Any>,
    framework_id: i64,
    domain: Option<i64>,
) -> anyhow::Result<Vec<CompetencyText>> {
    sqlx::query_as(
        "SELECT c.id, c.slug, c.title, c.description FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL AND ($2 = 0 OR c.domain_id = $2) \
         ORDER BY d.position, c.position",
    )
    .bind(framework_id)
    .bind(domain.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await
    .context("competencies")
}

/// The achievement of a domain (`Some`) or of the whole micro-credential.
pub(super) async fn achievement_def(
    tx: &mut Transaction<'static, Any>,
    base: &str,
    fc: &FrameworkCredential,
    domain: Option<&DomainScope>,
) -> anyhow::Result<(String, AchievementDef)> {
    let comps = competencies(tx, fc.id, domain.map(|d| d.id)).await?;
    let mut indicators = Vec::new();
    for c in &comps {
        let rows: Vec<IndicatorText> = sqlx::query_as(
            "SELECT slug, text FROM indicators WHERE competency_id = $1 AND retired_at IS NULL ORDER BY position",
        )
        .bind(c.id)
        .fetch_all(&mut **tx)
        .await
        .context("indicators")?;
        for r in rows {
            indicators.push(IndicatorDef {
                slug: r.slug,
                text: r.text,
                competency: c.title.clone(),
            });
        }
    }
    let key = domain.map_or_else(|| WHOLE.to_owned(), |d| d.slug.clone());
    let titles: Vec<&str> = comps.iter().map(|c| c.title.as_str()).collect();
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
        achievement_type: if domain.is_some() {
            "Competency"
        } else {
            "MicroCredential"
        },
        image: image_url(base, &fc.slug, &key),
        caption: crate::credentials::image::badge_caption(&design),
        language: fc.language.clone(),
        framework: fc.title.clone(),
        // Each competency twice: its public page, and its item in the framework's CASE 1.1
        // package, which other systems can resolve (`/ims/case/v1p1/CFItems/{id}`).
        alignments: comps
            .iter()
            .flat_map(|c| {
                let description = c.description.replace('\n', " ");
                [
                    AlignmentDef {
                        code: c.slug.clone(),
                        name: c.title.clone(),
                        url: format!("{base}/frameworks/{}/competencies/{}", fc.slug, c.slug),
                        description: description.clone(),
                        target_type: "ceasn:Competency",
                    },
                    AlignmentDef {
                        code: crate::credentials::case::identifier(
                            crate::credentials::case::Node::Item {
                                framework: &fc.slug,
                                slug: &c.slug,
                            },
                        ),
                        name: c.title.clone(),
                        url: crate::credentials::case::item_uri(base, &fc.slug, &c.slug),
                        description,
                        target_type: "CFItem",
                    },
                ]
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
    let rows: Vec<DesignRow> = sqlx::query_as(
        "SELECT d.slug, d.title, f.credential_name FROM domains d JOIN frameworks f ON f.id = d.framework_id \
         WHERE f.slug = $1 AND d.retired_at IS NULL AND f.credential_name <> '' ORDER BY d.position",
    )
    .bind(framework)
    .fetch_all(db.pool())
    .await
    .context("designs")?;
    let mut whole = None;
    for (i, r) in rows.into_iter().enumerate() {
        whole = Some(r.credential_name);
        if r.slug == key {
            return Ok(Some(crate::credentials::image::Design {
                key: r.slug,
                title: r.title,
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
