//! Row ids that must not be mixed up: a person, a submission, a cohort, a competency.
//!
//! Each wraps the `BIGINT` id of its table. On the server they bind and decode as that integer
//! (`sqlx(transparent)`, which works with the `Any` driver on both engines); in the browser and
//! on the wire they are plain numbers (`serde(transparent)`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(i64);

        impl $name {
            /// The id as stored.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The stored integer.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// A person (`users.id`).
    UserId
);
row_id!(
    /// One attempt of a teacher on a competency (`submissions.id`).
    SubmissionId
);
row_id!(
    /// A cohort (`cohorts.id`).
    CohortId
);
row_id!(
    /// A competency of a framework (`competencies.id`).
    CompetencyId
);

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_on_the_wire_and_in_text() {
        let id = SubmissionId::new(42);
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("42"));
        assert_eq!(
            serde_json::from_str::<UserId>("7").ok(),
            Some(UserId::new(7))
        );
        assert_eq!(format!("submission:{id}"), "submission:42");
        assert_eq!(CohortId::from(3).get(), 3);
    }
}
