//! Stored vocabularies decode strictly, on both engines: every value an enum knows binds and
//! decodes back to itself, and a value it does not know is a decoding error (never a default).

use crate::common;

use app::domain::account::Role;
use app::domain::assessment::{CompetentRule, RubricLevel, SubmissionStatus};
use app::domain::rating::{Level, Phase};
use app::domain::review::{EvidenceKind, Marking, Verdict};
use app::domain::unit::UnitKind;
use sqlx::Any;
use std::fmt::Debug;

/// Round-trips every known value of `T` through the database, then decodes `unknown` as `T`
/// and expects sqlx's column decoding error naming the value.
async fn strict<T, U>(db: &app::db::Db, what: &str, known: &[T], unknown: U)
where
    T: for<'r> sqlx::Decode<'r, Any>
        + for<'q> sqlx::Encode<'q, Any>
        + sqlx::Type<Any>
        + Copy
        + Debug
        + PartialEq
        + Send
        + Unpin
        + 'static,
    U: for<'q> sqlx::Encode<'q, Any> + sqlx::Type<Any> + Debug + Clone + Send + 'static,
{
    // One statement per enum: PostgreSQL connections cache a statement by its text, with the
    // parameter type of its first use, so text and integer enums must not share one.
    let sql = format!("SELECT $1 AS stored /* {what} */");
    for value in known {
        let back: T = sqlx::query_scalar(&sql)
            .bind(*value)
            .fetch_one(db.pool())
            .await
            .unwrap_or_else(|e| panic!("{what} {value:?} does not round-trip: {e}"));
        assert_eq!(back, *value, "{what}");
    }
    let decoded = sqlx::query_scalar::<_, T>(&sql)
        .bind(unknown.clone())
        .fetch_one(db.pool())
        .await;
    match decoded {
        Err(sqlx::Error::ColumnDecode { source, .. }) => {
            let message = source.to_string();
            assert!(message.contains(what), "{what}: {message}");
        }
        other => panic!("{what}: the unknown stored value {unknown:?} gave {other:?}"),
    }
    // A nullable column of the enum: NULL is `None`, the unknown value still an error.
    let none: Option<T> = sqlx::query_scalar("SELECT NULL AS stored")
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{what}: NULL: {e}"));
    assert_eq!(none, None, "{what}");
}

both_engines! {
    async fn unknown_stored_values_are_errors(engine: Engine) {
        let Some(db) = common::fresh_db(engine).await else { return };
        let statuses = [
            SubmissionStatus::Draft,
            SubmissionStatus::Submitted,
            SubmissionStatus::Competent,
            SubmissionStatus::NotYet,
        ];
        strict(&db, "submission status", &statuses, "archived".to_owned()).await;
        let rules = [
            CompetentRule::AllPartlyMostEvident,
            CompetentRule::AllEvident,
            CompetentRule::AllPartly,
        ];
        strict(&db, "competent rule", &rules, "most-evident".to_owned()).await;
        strict(&db, "role", &Role::ALL, "admin".to_owned()).await;
        strict(&db, "rating phase", &[Phase::Baseline, Phase::Current], "final".to_owned()).await;
        let kinds = [UnitKind::Reading, UnitKind::Scenario, UnitKind::Reflection];
        strict(&db, "unit kind", &kinds, "video".to_owned()).await;
        strict(&db, "e-mail kind", &app::mail::Kind::ALL, "newsletter".to_owned()).await;
        strict(&db, "review marking", &Marking::ALL, "third".to_owned()).await;
        strict(&db, "review decision", &Verdict::ALL, "maybe".to_owned()).await;
        strict(&db, "evidence kind", &EvidenceKind::ALL, "video".to_owned()).await;
        strict(&db, "rubric level", &RubricLevel::ALL, 4_i64).await;
        strict(&db, "rubric level", &RubricLevel::ALL, 0_i64).await;
        strict(&db, "self-rating level", &Level::ALL, 5_i64).await;
        db.close().await;
    }
}
