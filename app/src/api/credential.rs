//! Credentials: the public verification page, the holder's list and choices, and the
//! coordinators' list and revocation.

use crate::domain::credential::{CohortCredential, CredentialPage, MyCredential, WalletOffer};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::db::review::Viewer,
    crate::error::internal,
};

#[cfg(feature = "ssr")]
fn issuer() -> Result<std::sync::Arc<crate::credentials::issuer::Issuer>, AppError> {
    super::db()?.issuer().ok_or_else(|| {
        tracing::error!("no credential issuer configured");
        AppError::Internal
    })
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound(crate::t!(validation.that_credential).into())
}

/// A public id as issued: 32 lowercase hexadecimal digits.
#[cfg(feature = "ssr")]
fn valid_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The public page of a credential, verified now (anyone, no account).
#[server(endpoint = "credentials/page", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_credential_page(id: String) -> Result<CredentialPage, AppError> {
    let viewer = auth::public().map(|p| p.user_id);
    let result = async {
        if !valid_id(&id) {
            return Err(not_found());
        }
        let db = super::db()?;
        crate::db::credential::page(&db, &*issuer()?, &id, viewer)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }
    .await;
    super::answer(result)
}

/// The signed-in teacher's credentials.
#[server(endpoint = "credentials/mine", input = GetUrl, output = crate::api::JsonText)]
pub async fn my_credentials() -> Result<Vec<MyCredential>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    crate::db::credential::mine(&db, &*issuer()?, who.user_id)
        .await
        .map_err(internal)
}

/// The holder shows or hides their name on the credential's public page.
#[server(endpoint = "credentials/show-name", output = crate::api::JsonText)]
pub async fn set_show_name(
    id: String,
    #[server(default)] show: Option<String>,
) -> Result<bool, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        if !valid_id(&id) {
            return Err(not_found());
        }
        let db = super::db()?;
        let show = show.is_some_and(|v| v == "on" || v == "true" || v == "1");
        let changed = crate::db::credential::set_show_name(&db, who.user_id, &id, show)
            .await
            .map_err(internal)?;
        if changed {
            Ok(show)
        } else {
            Err(not_found())
        }
    }
    .await;
    super::form_reply(result, |_| format!("/credentials/{id}"))
}

/// The holder opens an offer to claim their credential into a wallet (a VC-API exchange that
/// lasts 15 minutes and serves one wallet); the offer's page shows it. Errors: not found when
/// the credential is not the caller's or is revoked.
#[server(endpoint = "credentials/wallet-offer/open", output = crate::api::JsonText)]
pub async fn open_wallet_offer(
    id: String,
    #[server(default)] name: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        if !valid_id(&id) {
            return Err(not_found());
        }
        let db = super::db()?;
        let include_name = name.is_some_and(|v| v == "on" || v == "true" || v == "1");
        crate::db::credential::open_exchange(
            &db,
            who.user_id,
            &id,
            include_name,
            crate::db::now_ms(),
        )
        .await
        .map_err(internal)?
        .map(|_| ())
        .ok_or_else(not_found)
    }
    .await;
    super::form_reply(result, |_| format!("/credentials/{id}/wallet"))
}

/// The holder's latest wallet offer for their credential: the QR code and links while open,
/// or what became of it. Errors: not found when the credential is not the caller's.
#[server(endpoint = "credentials/wallet-offer", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_wallet_offer(id: String) -> Result<WalletOffer, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        if !valid_id(&id) {
            return Err(not_found());
        }
        let db = super::db()?;
        crate::db::credential::wallet_offer(&db, &*issuer()?, who.user_id, &id, crate::db::now_ms())
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }
    .await;
    super::answer(result)
}

/// The credentials of a cohort's teachers (its coordinators).
#[server(endpoint = "credentials/cohort", input = GetUrl, output = crate::api::JsonText)]
pub async fn cohort_credentials(cohort: i64) -> Result<Vec<CohortCredential>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let viewer = Viewer {
        user_id: crate::domain::ids::UserId::new(who.user_id),
        is_admin: who.is_admin,
    };
    let found = crate::db::credential::of_cohort(&db, viewer, cohort)
        .await
        .map_err(internal)?;
    super::answer(found.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_cohort).into())))
}

/// A coordinator revokes a credential of a teacher of their cohort, with a reason that the
/// public page shows.
#[server(endpoint = "credentials/revoke", output = crate::api::JsonText)]
pub async fn revoke_credential(cohort: i64, id: String, reason: String) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let reason = reason.trim().to_owned();
        if reason.is_empty() {
            return Err(AppError::invalid(
                "revoke[reason]",
                crate::t!(validation.revoke_reason_required),
            ));
        }
        let max = crate::domain::credential::REASON_MAX;
        if reason.chars().count() > max {
            return Err(AppError::invalid(
                "revoke[reason]",
                crate::i18n::k::validation::at_most_chars(max),
            ));
        }
        if !valid_id(&id) {
            return Err(not_found());
        }
        let db = super::db()?;
        let viewer = Viewer {
            user_id: crate::domain::ids::UserId::new(who.user_id),
            is_admin: who.is_admin,
        };
        // Authority over the holder, not only over the cohort.
        let Some(holder) = crate::db::credential::holder(&db, &id)
            .await
            .map_err(internal)?
        else {
            return Err(not_found());
        };
        // Refused or not, anyone but the cohort's coordinators learns nothing about it.
        super::authority_over(&db, &who, cohort, holder)
            .await
            .map_err(|_| not_found())?;
        match crate::db::credential::revoke(&db, &*issuer()?, viewer, cohort, &id, &reason)
            .await
            .map_err(internal)?
        {
            Ok(()) => Ok(()),
            Err(crate::db::credential::RevokeRefused::NotFound) => Err(not_found()),
            Err(crate::db::credential::RevokeRefused::AlreadyRevoked) => Err(AppError::invalid(
                "revoke[reason]",
                crate::t!(validation.credential_already_revoked),
            )),
        }
    }
    .await;
    super::form_reply(result, |_| {
        format!("/coordinator/cohorts/{cohort}?changed=revoked#credentials")
    })
}
