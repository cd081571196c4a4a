//! A teacher's submissions of evidence per competency: the draft they compose (autosaved on a
//! version, like the journal), the snapshot frozen when they submit, and their attempts.
//! Every query is scoped by the teacher's user id.

use super::{audit, now_ms, Db};
use crate::domain::assessment::{
    AttemptRecord, Decision, DraftIndicator, DraftOutcome, EvidenceItem, Material, RatedIndicator,
    RubricLevel, Snapshot, SnapshotIndicator, SubmissionStatus, Workspace,
};
use crate::domain::ids::{CohortId, CompetencyId, SubmissionId, UserId};
use crate::domain::rating::Level;
use crate::domain::review::{EvidenceKind, Marking, Verdict};
use anyhow::Context as _;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

mod attempts;
mod draft;
mod snapshot;
mod uploads;
mod workspace;
pub use attempts::*;
pub use draft::*;
pub use snapshot::*;
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

/// A live competency found by slugs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CompetencyRef {
    /// Its framework's id.
    pub framework_id: i64,
    /// The competency's id.
    pub id: CompetencyId,
    /// Its title.
    pub title: String,
}

/// A competency by framework and competency slugs; `None` when either is unknown (or retired).
pub async fn competency(
    db: &Db,
    framework: &str,
    competency: &str,
) -> anyhow::Result<Option<CompetencyRef>> {
    sqlx::query_as(
        "SELECT f.id AS framework_id, c.id, c.title FROM competencies c \
         JOIN frameworks f ON f.id = c.framework_id \
         WHERE f.slug = $1 AND c.slug = $2 AND c.retired_at IS NULL",
    )
    .bind(framework)
    .bind(competency)
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("find competency {framework}/{competency}"))
}

/// One current indicator of a competency.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IndicatorRow {
    /// Its id.
    pub id: i64,
    /// Its slug.
    pub slug: String,
    /// What it says.
    pub text: String,
}

/// A competency's current indicators in order.
pub async fn indicators(db: &Db, competency_id: CompetencyId) -> anyhow::Result<Vec<IndicatorRow>> {
    sqlx::query_as(
        "SELECT id, slug, text FROM indicators WHERE competency_id = $1 AND retired_at IS NULL \
         ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .with_context(|| format!("indicators of competency {competency_id}"))
}
