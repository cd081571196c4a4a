//! Setting the HTTP status of a server-rendered page.

/// Sets the status of the response being rendered (on the server; no-op in the browser).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        let status =
            http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
