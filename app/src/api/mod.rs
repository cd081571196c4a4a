//! Server functions, one area per module. Reads are GET, writes POST.

pub mod framework;

/// The database handle from the request's context (server only).
#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::db::Db, crate::error::AppError> {
    leptos::prelude::use_context::<crate::db::Db>().ok_or_else(|| {
        tracing::error!("no database handle in the request context");
        crate::error::AppError::Internal
    })
}

/// Gives an error answer its HTTP status (404, 422, …) instead of a blanket 500.
#[cfg(feature = "ssr")]
pub(crate) fn answer<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        crate::components::status::set_http_status(e.status());
    }
    result
}
