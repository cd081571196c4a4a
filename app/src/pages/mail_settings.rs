//! `/mail/settings/:token`: the page the link in every reminder opens. Turns reminders,
//! notices of waiting work and digests on or off without signing in (account e-mails and
//! decisions on one's own evidence always go). A plain form, so it works without JavaScript.

use crate::api::mail::{get_mail_settings, SaveMailSettings};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::t;

/// The settings page.
#[component]
pub fn MailSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let save = ServerAction::<SaveMailSettings>::new();
    let settings = Resource::new(
        move || (token(), save.version().get()),
        |(t, _)| get_mail_settings(t),
    );
    view! {
        <Title text=t!(mail_settings.title) />
        <div class="narrow">
            <h1>{t!(mail_settings.title)}</h1>
            <Suspense fallback=|| view! { <p class="loading">{t!(mail_settings.checking)}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <SettingsForm email=s.email reminders=s.reminders token=token() save /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SettingsForm(
    email: String,
    reminders: bool,
    token: String,
    save: ServerAction<SaveMailSettings>,
) -> impl IntoView {
    let error = use_form_error(save);
    let query = use_query_map();
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || (save.value().get().is_none() && query.read().get("saved").is_some())
    };
    let state = if reminders {
        t!(mail_settings.reminders_on)
    } else {
        t!(mail_settings.reminders_off)
    };
    view! {
        <p>{crate::i18n::k::mail_settings::for_email(&email, state)}</p>
        <p>
            {t!(mail_settings.explanation)}
        </p>
        <ActionForm action=save attr:class="settings-form">
            <input type="hidden" name="token" value=token />
            <div class="pick">
                <input type="checkbox" id="mail-reminders" name="reminders" value="on" checked=reminders />
                <label for="mail-reminders">{t!(mail_settings.send_me)}</label>
            </div>
            <FormAlert error fields=&[] />
            <button class="button" type="submit">{t!(mail_settings.save)}</button>
            <span class="save-status" role="status">{move || saved().then_some(t!(mail_settings.saved))}</span>
        </ActionForm>
    }
}
