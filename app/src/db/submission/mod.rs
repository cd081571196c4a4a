//! A teacher's submissions of evidence per competency: the draft they compose (autosaved on a
//! version, like the journal), the snapshot frozen when they submit, and their attempts.
//! Every query is scoped by the teacher's user id.

use super::{audit, now_ms, Db};
use crate::domain::assessment::{
    AttemptRecord, Decision, DraftIndicator, DraftOutcome, EvidenceItem, Material, RatedIndicator,
    RubricLevel, Snapshot, SnapshotIndicator, SubmissionStatus, Workspace,
};
use crate::domain::rating::Level;
use anyhow::Context as _;
use sqlx::{Any, Row as _, Transaction};
use std::collections::HashMap;

mod attempts;
mod draft;
mod uploads;
mod workspace;
pub use attempts::*;
pub use draft::*;
pub use uploads::*;
pub use workspace::*;

/// Why a draft cannot be saved or submitted (besides a version conflict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such competency.
    NotFound,
    /// The teacher is in no cohort of this framework.
    NoCohort,
    /// Nothing may be edited now (submitted, Competent, or no attempt left); says why.
    Closed(&'static str),
}

/// A competency by slugs: (framework id, competency id, title).
pub async fn competency(
    db: &Db,
    framework: &str,
    competency: &str,
) -> anyhow::Result<Option<(i64, i64, String)>> {
    let row = sqlx::query(
        "SELECT f.id, c.id, c.title FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
         WHERE f.slug = $1 AND c.slug = $2 AND c.retired_at IS NULL",
    )
    .bind(framework)
    .bind(competency)
    .fetch_optional(db.pool())
    .await
    .context("find competency")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// A competency's current indicators in order: (id, slug, text).
pub async fn indicators(db: &Db, competency_id: i64) -> anyhow::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, slug, text FROM indicators WHERE competency_id = $1 AND retired_at IS NULL \
         ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("indicators")?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}
