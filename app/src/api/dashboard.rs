//! The teacher's dashboard.

use crate::domain::dashboard::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::error::internal,
};

/// The caller's own progress, next steps and growth.
#[server(endpoint = "dashboard", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    super::answer(
        super::localized(
            &db,
            crate::db::dashboard::load(&db, who.user_id)
                .await
                .map_err(internal)
                .and_then(|d| {
                    d.ok_or_else(|| AppError::NotFound(crate::t!(validation.a_framework).into()))
                }),
        )
        .await,
    )
}
