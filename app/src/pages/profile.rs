//! `/profile`: who you are, your roles, your sessions, your password.

use crate::api::account::{list_sessions, ChangePassword, EndSession, SessionView};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::account::Viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::t;

/// The profile page (signed-in only).
#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Title text=t!(profile.title) />
        <Private children=|viewer| view! { <Profile viewer /> } />
    }
}

#[component]
fn Profile(viewer: Viewer) -> impl IntoView {
    let roles = viewer
        .roles
        .iter()
        .map(|m| view! { <li>{crate::i18n::k::profile::role_in(m.role.label(), &m.cohort_name)}</li> })
        .collect_view();
    view! {
        <h1>{t!(profile.title)}</h1>
        <dl class="facts">
            <dt>{t!(profile.name)}</dt>
            <dd>{viewer.name.clone()}</dd>
            <dt>{t!(profile.email)}</dt>
            <dd>{viewer.email.clone()}</dd>
        </dl>
        <section class="section" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{t!(profile.roles_heading)}</h2>
            {viewer.is_admin.then(|| view! { <p>{t!(profile.admin)}</p> })}
            <ul>{roles}</ul>
        </section>
        <Sessions />
        <PasswordChange />
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(move || end.version().get(), |_| list_sessions());
    view! {
        <section class="section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(profile.sessions_heading)}</h2>
            <Suspense fallback=|| view! { <p class="loading">{t!(profile.loading_sessions)}</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <SessionTable list end /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SessionTable(list: Vec<SessionView>, end: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <TableScroll label=t!(profile.sessions_table)>
            <table class="table">
                <caption class="visually-hidden">{t!(profile.sessions_table)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(profile.col_browser)}</th>
                        <th scope="col">{t!(profile.col_address)}</th>
                        <th scope="col">{t!(profile.col_signed_in)}</th>
                        <th scope="col">{t!(profile.col_last_active)}</th>
                        <th scope="col">
                            <span class="visually-hidden">{t!(profile.col_action)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .enumerate()
                        .map(|(n, s)| {
                            let label = if s.current { t!(profile.sign_out_here) } else { t!(profile.end_session) };
                            // Read out with the session it ends: the buttons repeat down the
                            // table (two sessions may share a browser and a minute, not a row).
                            let which = crate::i18n::k::profile::session_which(n + 1, &s.user_agent, s.started());
                            view! {
                                <tr>
                                    <td>
                                        {s.user_agent.clone()}
                                        {s.current.then(|| view! { <strong>{t!(profile.this_browser)}</strong> })}
                                    </td>
                                    <td>{s.client_ip.clone()}</td>
                                    <td>{s.started()}</td>
                                    <td>{s.last_active()}</td>
                                    <td>
                                        <ActionForm action=end>
                                            <input type="hidden" name="id" value=s.id.clone() />
                                            <button class="button button--small" type="submit">
                                                {label}
                                                <span class="visually-hidden">{which}</span>
                                            </button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

#[component]
fn PasswordChange() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = use_form_error(action);
    let query = use_query_map();
    let done = move || {
        matches!(action.value().get(), Some(Ok(())))
            || (action.value().get().is_none() && query.read().get("changed").is_some())
    };
    view! {
        <section class="section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(profile.password_heading)}</h2>
            <p>{t!(profile.password_text)}</p>
            <p class="notice" role="status">
                {move || done().then_some(t!(profile.password_changed))}
            </p>
            <ActionForm action>
                <FormAlert error fields=&["current", "new_password", "confirm"] />
                <TextField
                    label=t!(profile.current_password)
                    name="current"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <TextField
                    label=t!(profile.new_password)
                    name="new_password"
                    kind="password"
                    autocomplete="new-password"
                    hint=t!(profile.new_password_hint)
                    error
                />
                <TextField
                    label=t!(profile.new_password_again)
                    name="confirm"
                    kind="password"
                    autocomplete="new-password"
                    error
                />
                <button class="button" type="submit">
                    {t!(profile.change_password)}
                </button>
            </ActionForm>
        </section>
    }
}
