//! How the domain's stored vocabularies bind and decode through sqlx's `Any` driver.
//!
//! Each status, kind and level column decodes straight into its enum, strictly: a value the
//! enum does not know is a decoding error naming the column and the value (sqlx's
//! `ColumnDecode`), never a silent default. The same enums bind as their stored form, so
//! queries compare enums, not strings. Row structs use them as plain fields
//! (`#[derive(sqlx::FromRow)]`), `Option<_>` for nullable columns.

use crate::domain::account::Role;
use crate::domain::assessment::{CompetentRule, RubricLevel, SubmissionStatus};
use crate::domain::rating::{Level, Phase};
use crate::domain::review::{EvidenceKind, Marking, Verdict};
use crate::domain::unit::UnitKind;
use sqlx::any::AnyTypeInfo;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

/// Implements `Type`, `Decode` and `Encode` for `Any` on an enum stored as text, through its
/// `parse(&str) -> Option<Self>` and `as_str(self) -> &'static str`.
macro_rules! stored_as_text {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <str as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <str as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let stored = <String as Decode<'r, Any>>::decode(value)?;
                <$ty>::parse(&stored)
                    .ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), stored).into())
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<'q, Any>>::encode(self.as_str(), buf)
            }
        }
    )*};
}

/// The same for an enum stored as an integer, through `from_value(i64) -> Option<Self>` and
/// `value(self) -> i64`.
macro_rules! stored_as_integer {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let stored = <i64 as Decode<'r, Any>>::decode(value)?;
                <$ty>::from_value(stored)
                    .ok_or_else(|| format!(concat!("unknown ", $what, " {}"), stored).into())
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'q, Any>>::encode(self.value(), buf)
            }
        }
    )*};
}

stored_as_text! {
    SubmissionStatus => "submission status",
    CompetentRule => "competent rule",
    Role => "role",
    Phase => "rating phase",
    UnitKind => "unit kind",
    crate::mail::Kind => "e-mail kind",
    Marking => "review marking",
    Verdict => "review decision",
    EvidenceKind => "evidence kind",
}

stored_as_integer! {
    RubricLevel => "rubric level",
    Level => "self-rating level",
}
