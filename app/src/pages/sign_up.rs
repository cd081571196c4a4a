//! `/check-email` and `/sign-up/:code`: the two steps after the invitation's sign-up form. The
//! first says the e-mail is on its way; the second (the link in it) chooses the password,
//! which creates the account and joins the cohort.

use crate::api::join::{sign_up_info, FinishSignUp};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::domain::account::Role;
use crate::i18n::k;
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The page after the sign-up form. It says the same whatever address was given (whether it
/// has an account is told only in the e-mail), and shows nothing taken from the URL.
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text=t!(sign_up.check_title) />
        <div class="narrow">
            <h1>{t!(sign_up.check_title)}</h1>
            <p role="status">
                {t!(sign_up.check_sent)}
            </p>
            <p>
                {t!(sign_up.check_existing)}
            </p>
            <p class="meta">
                {t!(sign_up.check_nothing)}
            </p>
        </div>
    }
}

/// The page the e-mailed link opens: choose a password, join, sign in.
#[component]
pub fn SignUpFinishPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let info = Resource::new(code, sign_up_info);
    view! {
        <Title text=t!(sign_up.finish_title) />
        <Suspense fallback=|| view! { <p class="loading">{t!(sign_up.checking_link)}</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => {
                        let title = heading(&info.cohort_name, info.role);
                        let ask_name = info.name.is_empty();
                        let who = if ask_name {
                            k::sign_up::for_email(&info.email)
                        } else {
                            k::sign_up::for_name_email(&info.name, &info.email)
                        };
                        view! {
                            <div class="narrow">
                                <h1>{title}</h1>
                                <p>{who}</p>
                                <FinishForm code=code() ask_name />
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Join <cohort> as a <role>", a whole sentence per role.
fn heading(cohort: &str, role: Role) -> String {
    match role {
        Role::Teacher => k::sign_up::heading_teacher(cohort),
        Role::Assessor => k::sign_up::heading_assessor(cohort),
        Role::Coordinator => k::sign_up::heading_coordinator(cohort),
    }
}

#[component]
fn FinishForm(
    code: String,
    /// A personal invitation: the person gives their name here.
    ask_name: bool,
) -> impl IntoView {
    let action = ServerAction::<FinishSignUp>::new();
    let error = use_form_error(action);
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <ActionForm action>
            <input type="hidden" name="code" value=code />
            <FormAlert error fields=&["name", "password", "confirm"] />
            {ask_name.then(|| view! {
                <TextField
                    label=t!(sign_up.name_label)
                    name="name"
                    autocomplete="name"
                    hint=t!(sign_up.name_hint)
                    error
                />
            })}
            <TextField
                label=t!(sign_up.password_label)
                name="password"
                kind="password"
                autocomplete="new-password"
                hint=t!(sign_up.password_hint)
                error
            />
            <TextField
                label=t!(sign_up.confirm_label)
                name="confirm"
                kind="password"
                autocomplete="new-password"
                error
            />
            <button class="button" type="submit">
                {t!(sign_up.submit)}
            </button>
        </ActionForm>
    }
}
