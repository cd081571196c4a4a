//! The course pages: the index and one page. Anyone may read; nothing here is private.

use crate::domain::course::{CourseIndex, PageView};
#[cfg(feature = "ssr")]
use crate::error::internal;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A framework's course index: its pages in order and the units' figures (count, minutes).
/// Errors: `NotFound` when there is no such framework.
#[server(endpoint = "course", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_course(framework: String) -> Result<CourseIndex, AppError> {
    let db = super::db()?;
    super::answer(
        crate::db::course::index(&db, &framework, crate::lang::current())
            .await
            .map_err(internal)
            .and_then(|c| {
                c.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_framework).into()))
            }),
    )
}

/// One course page, rendered (placeholders filled from the live units).
/// Errors: `NotFound` when there is no such framework or page.
#[server(endpoint = "course/page", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_course_page(framework: String, page: String) -> Result<PageView, AppError> {
    let db = super::db()?;
    super::answer(
        crate::db::course::view(&db, &framework, &page, crate::lang::current())
            .await
            .map_err(internal)
            .and_then(|p| {
                p.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_course_page).into()))
            }),
    )
}
