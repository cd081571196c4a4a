//! The e-mail settings page behind the link in every reminder (issue 17): anyone holding the
//! link may see which address it is for and switch reminders, without signing in.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {crate::auth, crate::error::internal};

/// What the settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// The address the link is for, partly hidden (`an•••@school.org`): the link may have been
    /// forwarded.
    pub email: String,
    /// Reminders, notices of waiting work and digests are on.
    pub reminders: bool,
}

/// `ana.silva@school.org` → `an•••@school.org`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// The settings a link's token is for; 404 for an unknown one.
#[server(endpoint = "mail/settings", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_mail_settings(token: String) -> Result<MailSettings, AppError> {
    let _anyone_with_the_link = auth::public();
    let result = async {
        let db = super::db()?;
        crate::db::notify::settings::by_token(&db, token.trim())
            .await
            .map_err(internal)?
            .map(|s| MailSettings {
                email: mask_email(&s.email),
                reminders: s.reminders,
            })
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_mail_settings_link).into()))
    }
    .await;
    super::answer(result)
}

/// Switches reminders for a link's token: `reminders` present (a ticked checkbox) turns them
/// on, absent turns them off. 404 for an unknown token.
#[server(endpoint = "mail/settings/save", output = crate::api::JsonText)]
pub async fn save_mail_settings(
    token: String,
    #[server(default)] reminders: Option<String>,
) -> Result<(), AppError> {
    let _anyone_with_the_link = auth::public();
    let token = token.trim().to_owned();
    let result = async {
        let db = super::db()?;
        let on = reminders.is_some_and(|v| v != "false");
        if crate::db::notify::settings::set_reminders(&db, &token, on)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound(
                crate::t!(validation.that_mail_settings_link).into(),
            ))
        }
    }
    .await;
    super::form_reply(result, |_| format!("/mail/settings/{token}?saved=1"))
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn addresses_are_partly_hidden() {
        assert_eq!(mask_email("ana.silva@school.org"), "an•••@school.org");
        assert_eq!(mask_email("a@x.org"), "a•••@x.org");
        assert_eq!(mask_email("nonsense"), "•••");
    }
}
