//! `/join/:token`: joining a cohort through an invitation link.

use crate::api::join::{get_invitation, AcceptInvitation, SignUp};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::components::session_guard::use_viewer;
use crate::domain::account::{Role, Viewer};
use crate::domain::cohort::{InvitationInfo, InvitationState};
use crate::i18n::k;
use crate::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The invitation page: explains the invitation, then a sign-up form (or, when signed in, a
/// button to join with the current account). Unusable links get a clear explanation.
#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);
    let viewer = use_viewer().0;
    view! {
        <Title text=t!(join.title) />
        <Suspense fallback=|| view! { <p class="loading">{t!(join.loading)}</p> }>
            {move || Suspend::new(async move {
                let viewer = viewer.await.ok().flatten();
                match invitation.await {
                    Ok(info) if info.state == InvitationState::Open => {
                        view! { <Join info token=token() viewer /> }.into_any()
                    }
                    Ok(info) => {
                        crate::components::status::set_http_status(410);
                        view! {
                            <section class="panel panel--error">
                                <h1>{t!(join.unusable)}</h1>
                                <p>{info.state.explanation()}</p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Join(info: InvitationInfo, token: String, viewer: Option<Viewer>) -> impl IntoView {
    let heading = match info.role {
        Role::Teacher => k::join::heading_teacher(&info.cohort_name),
        Role::Assessor => k::join::heading_assessor(&info.cohort_name),
        Role::Coordinator => k::join::heading_coordinator(&info.cohort_name),
    };
    view! {
        <div class="narrow">
            <h1>{heading}</h1>
            {match viewer {
                Some(v) => view! { <JoinSignedIn token viewer=v /> }.into_any(),
                None => view! { <SignUpForm token /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn JoinSignedIn(token: String, viewer: Viewer) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = use_form_error(action);
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <p>{k::join::signed_in_as(&viewer.name, &viewer.email)}</p>
        <ActionForm action>
            <FormAlert error fields=&[] />
            <input type="hidden" name="token" value=token />
            <button class="button" type="submit">
                {t!(join.join_with_account)}
            </button>
        </ActionForm>
    }
}

#[component]
fn SignUpForm(token: String) -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = use_form_error(action);
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <p>
            {t!(join.sign_up_intro)}
        </p>
        <ActionForm action>
            <input type="hidden" name="form[token]" value=token />
            <FormAlert error fields=&["form[name]", "form[email]"] />
            <TextField label=t!(join.name_label) name="form[name]" autocomplete="name" error />
            <TextField
                label=t!(join.email_label)
                name="form[email]"
                kind="email"
                autocomplete="email"
                error
            />
            <button class="button" type="submit">
                {t!(join.submit)}
            </button>
        </ActionForm>
        <p class="meta">
            {t!(join.have_account_before)}
            <A exact=true href="/sign-in">{t!(join.have_account_link)}</A>
            {t!(join.have_account_after)}
        </p>
    }
}
