//! `/coordinator/cohorts/:id`: members and invitations of one cohort.

use crate::api::cohort::{
    get_cohort, CreateInvitation, DeactivateMember, InviteByEmail, IssueResetLink,
    ReactivateMember, RevokeInvitation, UpdateAssessmentSettings,
};
use crate::api::credential::{cohort_credentials, RevokeCredential};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, Confirm, FormAlert, TextField};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::account::Role;
use crate::domain::cohort::{
    AssessmentSettings, CohortDetail, InvitationState, InvitationView, MemberView,
};
use crate::domain::credential::CohortCredential;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::t;

/// One cohort's page (its coordinators only).
#[component]
pub fn CohortPage() -> impl IntoView {
    view! { <Private role=Role::Coordinator children=|_| view! { <Cohort /> } /> }
}

#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<CreateInvitation>,
    email_invite: ServerAction<InviteByEmail>,
    revoke: ServerAction<RevokeInvitation>,
    deactivate: ServerAction<DeactivateMember>,
    reactivate: ServerAction<ReactivateMember>,
    reset: ServerAction<IssueResetLink>,
}

#[component]
fn Cohort() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = Actions {
        invite: ServerAction::new(),
        email_invite: ServerAction::new(),
        revoke: ServerAction::new(),
        deactivate: ServerAction::new(),
        reactivate: ServerAction::new(),
        reset: ServerAction::new(),
    };
    let versions = move || {
        (
            actions.invite.version().get(),
            actions.email_invite.version().get(),
            actions.revoke.version().get(),
            actions.deactivate.version().get(),
            actions.reactivate.version().get(),
        )
    };
    let cohort = Resource::new(move || (id(), versions()), |(id, _)| get_cohort(id));
    let revoke = ServerAction::<RevokeCredential>::new();
    let credentials = Resource::new(
        move || (id(), revoke.version().get()),
        |(id, _)| cohort_credentials(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(cohort.loading)}</p> }>
            {move || Suspend::new(async move {
                match cohort.await {
                    Ok(detail) => view! { <CohortBody detail actions /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                credentials
                    .await
                    .ok()
                    .map(|list| view! { <Credentials cohort_id=id() list revoke /> })
            })}
        </Suspense>
    }
}

/// What an action that changed the cohort did, said once (issue 15, item 10): from the action's
/// answer with JavaScript, from the redirect's `changed` parameter without. `key` is that
/// parameter's value for this action.
fn done<O>(
    action: ServerAction<O>,
    key: &'static str,
    text: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy
where
    O: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    O::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    move || match action.value().get() {
        Some(Ok(_)) => Some(text),
        Some(Err(_)) => None,
        None => (query.read().get("changed").as_deref() == Some(key)).then_some(text),
    }
}

/// The credentials of the cohort's teachers, each revocable with a reason.
#[component]
fn Credentials(
    cohort_id: i64,
    list: Vec<CohortCredential>,
    revoke: ServerAction<RevokeCredential>,
) -> impl IntoView {
    let error = use_form_error(revoke);
    view! {
        <section class="section" id="credentials" aria-labelledby="credentials-heading">
            <h2 id="credentials-heading">{t!(cohort.credentials_heading)}</h2>
            <p class="notice" role="status">
                {done(revoke, "revoked", t!(cohort.credential_revoked))}
            </p>
            <p class="meta">
                {t!(cohort.credentials_intro)}
            </p>
            <FormAlert error fields=&["revoke[reason]"] />
            {if list.is_empty() {
                view! { <p class="empty">{t!(cohort.no_credentials)}</p> }.into_any()
            } else {
                view! {
                    <TableScroll label=t!(cohort.credentials_table)>
                        <table class="credentials-table">
                            <caption class="visually-hidden">{t!(cohort.credentials_table)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(cohort.col_teacher)}</th>
                                    <th scope="col">{t!(cohort.col_credential)}</th>
                                    <th scope="col">{t!(cohort.col_issued)}</th>
                                    <th scope="col">{t!(cohort.col_status)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|c| {
                                    let id = c.public_id.clone();
                                    let field_id = format!("revoke-reason-{id}");
                                    let href = format!("/credentials/{id}");
                                    let row_id = id.clone();
                                    let which = crate::i18n::k::cohort::credential_which(&c.name, &c.holder);
                                    let question = crate::i18n::k::cohort::revoke_credential_question(&c.name, &c.holder);
                                    view! {
                                        <tr data-credential=row_id>
                                            <td>{c.holder.clone()}</td>
                                            <td><A exact=true href=href>{c.name.clone()}</A></td>
                                            <td>{c.issued.clone()}</td>
                                            <td>
                                                {match c.revoked.clone() {
                                                    Some(r) => view! { <span>{crate::i18n::k::cohort::revoked_on(&r.on, &r.reason)}</span> }.into_any(),
                                                    None => view! {
                                                        <Confirm
                                                            toggle=t!(cohort.revoke_toggle)
                                                            target=which.clone()
                                                            question=question.clone()
                                                        >
                                                            <ActionForm action=revoke attr:class="inline-revoke">
                                                                <input type="hidden" name="cohort" value=cohort_id />
                                                                <input type="hidden" name="id" value=id />
                                                                <label for=field_id.clone()>{t!(cohort.revoke_reason)}</label>
                                                                <input id=field_id type="text" name="reason" maxlength="500" required />
                                                                <button class="button button--small button--danger" type="submit">
                                                                    {t!(cohort.revoke_now)}
                                                                    <span class="visually-hidden">{which.clone()}</span>
                                                                </button>
                                                            </ActionForm>
                                                        </Confirm>
                                                    }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CohortBody(detail: CohortDetail, actions: Actions) -> impl IntoView {
    let s = detail.summary.clone();
    view! {
        <Title text=s.name.clone() />
        <nav aria-label=t!(cohort.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/coordinator">{t!(cohort.breadcrumb_cohorts)}</A>
                </li>
                <li aria-current="page">{s.name.clone()}</li>
            </ol>
        </nav>
        <h1>{s.name.clone()}</h1>
        <p class="notice" role="status">
            {(use_query_map().read_untracked().get("changed").as_deref() == Some("created"))
                .then_some(t!(cohort.cohort_created))}
        </p>
        <p class="meta">{crate::i18n::k::cohort::cohort_meta(&s.starts_on, &s.ends_on, &s.framework)}</p>
        <AssessmentSettingsForm cohort_id=s.id settings=detail.settings />
        <Members cohort_id=s.id members=detail.members actions admin=detail.viewer_is_admin />
        <Invitations cohort_id=s.id invitations=detail.invitations actions />
    }
}

#[component]
fn AssessmentSettingsForm(cohort_id: i64, settings: AssessmentSettings) -> impl IntoView {
    let save = ServerAction::<UpdateAssessmentSettings>::new();
    let error = use_form_error(save);
    let query = use_query_map();
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || (save.value().get().is_none() && query.read().get("settings").is_some())
    };
    let saved_text = t!(cohort.saved);
    view! {
        <section class="section" aria-labelledby="assessment-heading">
            <h2 id="assessment-heading">{t!(cohort.assessment_heading)}</h2>
            <p>
                <A exact=true href="/assess">{t!(cohort.assessment_queue)}</A>
                " · "
                <A exact=true href=format!("/coordinator/cohorts/{cohort_id}/moderation")>{t!(cohort.moderation_link)}</A>
                " · "
                <A exact=true href=format!("/coordinator/cohorts/{cohort_id}/evaluation")>{t!(cohort.evaluation_link)}</A>
            </p>
            <ActionForm action=save attr:class="settings-form">
                <input type="hidden" name="cohort_id" value=cohort_id />
                <TextField
                    label=t!(cohort.max_attempts_label)
                    name="max_attempts"
                    kind="number"
                    hint=t!(cohort.max_attempts_hint)
                    value=settings.max_attempts.to_string()
                    error
                />
                <TextField
                    label=t!(cohort.turnaround_label)
                    name="turnaround_days"
                    kind="number"
                    hint=t!(cohort.turnaround_hint)
                    value=settings.turnaround_days.to_string()
                    error
                />
                <div class="pick">
                    <input type="checkbox" id="blind-review" name="blind_review" value="on" checked=settings.blind_review />
                    <label for="blind-review">{t!(cohort.blind_review_label)}</label>
                </div>
                <FormAlert error fields=&["max_attempts", "turnaround_days"] />
                <button class="button button--small" type="submit">{t!(cohort.save_settings)}</button>
                <span class="save-status" role="status">{move || saved().then_some(saved_text)}</span>
            </ActionForm>
        </section>
    }
}

#[component]
fn Members(
    cohort_id: i64,
    members: Vec<MemberView>,
    actions: Actions,
    /// The viewer is an institution coordinator.
    admin: bool,
) -> impl IntoView {
    let query = use_query_map();
    // The reset link just issued: from the action (JavaScript) or the redirect (no JavaScript).
    let issued = move || match actions.reset.value().get() {
        Some(Ok(link)) => Some(link),
        Some(Err(_)) => None,
        None => crate::flash::current(query.read().get("flash"))
            .filter(|m| m.field == "reset_link")
            .map(|m| m.message),
    };
    let deactivate_error = use_form_error(actions.deactivate);
    let reactivate_error = use_form_error(actions.reactivate);
    view! {
        <section class="section" id="members" aria-labelledby="members-heading">
            <h2 id="members-heading">{crate::i18n::k::cohort::members_heading(members.len())}</h2>
            // A file, not a page: `rel="external"` keeps the router from handling the click.
            <p>
                <a href=format!("/coordinator/cohorts/{cohort_id}/roster.csv") download="" rel="external">
                    {t!(cohort.roster_link)}
                </a>
                {t!(cohort.roster_after)}
            </p>
            <p class="notice" role="status">
                {done(actions.deactivate, "deactivated", t!(cohort.member_deactivated))}
                {done(actions.reactivate, "reactivated", t!(cohort.member_reactivated))}
            </p>
            <FormAlert error=deactivate_error fields=&[] />
            <FormAlert error=reactivate_error fields=&[] />
            <div class="notice" role="status">
                {move || {
                    issued()
                        .map(|link| {
                            view! {
                                <p>
                                    {t!(cohort.reset_link_issued)}
                                </p>
                                <CopyField label=t!(cohort.reset_link_label) value=link />
                            }
                        })
                }}
            </div>
            <TableScroll label=t!(cohort.members_table)>
                <table class="table">
                        <caption class="visually-hidden">{t!(cohort.members_table)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(cohort.col_name)}</th>
                                <th scope="col">{t!(cohort.col_email)}</th>
                                <th scope="col">{t!(cohort.col_roles)}</th>
                                <th scope="col">{t!(cohort.col_status)}</th>
                                <th scope="col">{t!(cohort.col_actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {members
                                .into_iter()
                                .map(|m| view! { <MemberRow cohort_id member=m actions admin /> })
                                .collect_view()}
                        </tbody>
                    </table>
            </TableScroll>
        </section>
    }
}

#[component]
fn MemberRow(
    cohort_id: i64,
    member: MemberView,
    actions: Actions,
    /// The viewer is an institution coordinator.
    admin: bool,
) -> impl IntoView {
    let roles = member
        .roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    let status = if member.active {
        t!(cohort.status_active)
    } else {
        t!(cohort.status_deactivated)
    };
    let reset_label = crate::i18n::k::cohort::reset_link_for(&member.name);
    let deactivate_label = crate::i18n::k::cohort::deactivate_name(&member.name);
    let reactivate_label = crate::i18n::k::cohort::reactivate_name(&member.name);
    view! {
        <tr>
            <td>{member.name.clone()}</td>
            <td>{member.email.clone()}</td>
            <td>{roles}</td>
            <td>{status}</td>
            <td class="actions">
                {member
                    .active
                    .then(|| {
                        view! {
                            <ActionForm action=actions.reset attr:class="inline-form">
                                <input type="hidden" name="cohort_id" value=cohort_id />
                                <input type="hidden" name="user_id" value=member.user_id />
                                <button class="button button--small" type="submit">
                                    {reset_label}
                                </button>
                            </ActionForm>
                            " "
                            <Confirm
                                toggle=t!(cohort.deactivate_toggle)
                                target=format!(" {}", member.name)
                                question=crate::i18n::k::cohort::deactivate_question(&member.name)
                            >
                                <ActionForm action=actions.deactivate attr:class="inline-form">
                                    <input type="hidden" name="cohort_id" value=cohort_id />
                                    <input type="hidden" name="user_id" value=member.user_id />
                                    <button class="button button--small button--danger" type="submit">
                                        {deactivate_label}
                                    </button>
                                </ActionForm>
                            </Confirm>
                        }
                    })}
                {(admin && !member.active)
                    .then(|| {
                        view! {
                            <ActionForm action=actions.reactivate attr:class="inline-form">
                                <input type="hidden" name="cohort_id" value=cohort_id />
                                <input type="hidden" name="user_id" value=member.user_id />
                                <button class="button button--small" type="submit">
                                    {reactivate_label}
                                </button>
                            </ActionForm>
                        }
                    })}
            </td>
        </tr>
    }
}

#[component]
fn Invitations(
    cohort_id: i64,
    invitations: Vec<InvitationView>,
    actions: Actions,
) -> impl IntoView {
    let error = use_form_error(actions.invite);
    let created = move || match actions.invite.value().get() {
        Some(Ok(link)) => Some(link),
        _ => None,
    };
    view! {
        <section class="section" id="invitations" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{t!(cohort.invitations_heading)}</h2>
            <p class="notice" role="status">
                {done(actions.revoke, "invitation-revoked", t!(cohort.invitation_revoked))}
            </p>
            <p>
                {t!(cohort.invitations_intro)}
            </p>
            <div class="notice" role="status">
                {move || {
                    created()
                        .map(|link| {
                            view! {
                                <p>{t!(cohort.invitation_created)}</p>
                                <CopyField label=t!(cohort.new_invitation_link) value=link />
                            }
                        })
                }}
            </div>
            <ActionForm action=actions.invite attr:class="inline-fields">
                <input type="hidden" name="cohort_id" value=cohort_id />
                <FormAlert error fields=&["role", "valid_days", "seats"] />
                <div class="field">
                    <label for="field-role">{t!(cohort.role_label)}</label>
                    <select id="field-role" name="role">
                        {Role::ALL
                            .iter()
                            .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField label=t!(cohort.valid_days_label) name="valid_days" kind="number" value="14" error />
                <TextField label=t!(cohort.places_label) name="seats" kind="number" value="30" error />
                <button class="button" type="submit">
                    {t!(cohort.create_invitation)}
                </button>
            </ActionForm>
            <EmailInvitations cohort_id action=actions.email_invite />
            {(!invitations.is_empty())
                .then(|| {
                    view! {
                        <TableScroll label=t!(cohort.invitations_table)>
                            <table class="table">
                                    <caption class="visually-hidden">{t!(cohort.invitations_table)}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(cohort.col_role)}</th>
                                            <th scope="col">{t!(cohort.col_link)}</th>
                                            <th scope="col">{t!(cohort.col_places_used)}</th>
                                            <th scope="col">{t!(cohort.col_expires)}</th>
                                            <th scope="col">{t!(cohort.col_status)}</th>
                                            <th scope="col">{t!(cohort.col_action)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {invitations
                                            .into_iter()
                                            .map(|i| view! { <InvitationRow invitation=i actions /> })
                                            .collect_view()}
                                    </tbody>
                                </table>
                        </TableScroll>
                    }
                })}
        </section>
    }
}

/// Invitations e-mailed to a pasted list of addresses: each person gets a link of their own.
#[component]
fn EmailInvitations(cohort_id: i64, action: ServerAction<InviteByEmail>) -> impl IntoView {
    let error = use_form_error(action);
    let query = use_query_map();
    let sent = move || match action.value().get() {
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => None,
        None => query
            .read()
            .get("emailed")
            .and_then(|n| n.parse::<usize>().ok()),
    };
    view! {
        <h3 id="invite-by-email">{t!(cohort.invite_by_email_heading)}</h3>
        <p>
            {t!(cohort.invite_by_email_intro)}
        </p>
        <p class="notice" role="status">
            {move || sent().map(|n| {
                if crate::i18n::singular(n as i64) {
                    crate::i18n::k::cohort::emailed_one(n)
                } else {
                    crate::i18n::k::cohort::emailed_other(n)
                }
            })}
        </p>
        <ActionForm action attr:class="settings-form">
            <input type="hidden" name="cohort_id" value=cohort_id />
            // Every field's error shows here: these inputs are plain ones, not `TextField`s.
            <FormAlert error fields=&[] />
            <div class="field">
                <label for="field-addresses">{t!(cohort.addresses_label)}</label>
                <textarea id="field-addresses" name="addresses" rows="5" maxlength="20000" required></textarea>
            </div>
            <div class="inline-fields">
                <div class="field">
                    <label for="field-email-role">{t!(cohort.invite_as)}</label>
                    <select id="field-email-role" name="role">
                        {Role::ALL
                            .iter()
                            .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                // Not a TextField: the link form above has a field of the same name (and id).
                <div class="field">
                    <label for="field-email-valid-days">{t!(cohort.valid_days_label)}</label>
                    <input id="field-email-valid-days" name="valid_days" type="number" value="14" min="1" max="90" required />
                </div>
            </div>
            <button class="button" type="submit">{t!(cohort.email_invitations_button)}</button>
        </ActionForm>
    }
}

#[component]
fn InvitationRow(invitation: InvitationView, actions: Actions) -> impl IntoView {
    let open = invitation.state == InvitationState::Open;
    // Names the invitation among others of the same role: its link's last characters.
    let tail = invitation.link.chars().rev().take(6).collect::<Vec<_>>();
    let tail = tail.into_iter().rev().collect::<String>();
    let label = crate::i18n::k::cohort::invitation_link_label(invitation.role.label(), &tail);
    let which = crate::i18n::k::cohort::invitation_which(invitation.role.label(), &tail);
    view! {
        <tr>
            <td>
                {invitation.role.label()}
                {invitation.email.clone().map(|e| view! { <br /><span class="meta">{crate::i18n::k::cohort::invitation_for(&e)}</span> })}
            </td>
            <td>
                <CopyField label=label value=invitation.link.clone() />
            </td>
            <td>{crate::i18n::k::cohort::places_used(invitation.uses, invitation.max_uses)}</td>
            <td>{invitation.expires.clone()}</td>
            <td>{invitation.state.label()}</td>
            <td>
                {open
                    .then(|| {
                        view! {
                            <Confirm
                                toggle=t!(cohort.revoke_toggle)
                                target=which.clone()
                                question=crate::i18n::k::cohort::revoke_invitation_question(invitation.role.label())
                            >
                                <ActionForm action=actions.revoke attr:class="inline-form">
                                    <input type="hidden" name="invitation_id" value=invitation.id />
                                    <button class="button button--small button--danger" type="submit">
                                        {t!(cohort.revoke_now)}
                                        <span class="visually-hidden">
                                            {which.clone()}
                                        </span>
                                    </button>
                                </ActionForm>
                            </Confirm>
                        }
                    })}
            </td>
        </tr>
    }
}

/// A read-only text box holding a link, and (with JavaScript) a button copying it.
#[component]
fn CopyField(
    /// Accessible name of the text box.
    #[prop(into)]
    label: String,
    /// The text.
    value: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let to_copy = value.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&to_copy);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &to_copy;
    };
    let (copy_text, copied_text) = (t!(cohort.copy), t!(cohort.copied));
    view! {
        <span class="copy-field">
            <input type="text" readonly value=value aria-label=label.clone() />
            <button class="button button--small js-only" type="button" on:click=copy>
                {move || if copied.get() { copied_text } else { copy_text }}
                <span class="visually-hidden">{format!(" {label}")}</span>
            </button>
        </span>
    }
}
