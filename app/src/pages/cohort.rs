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
        <Suspense fallback=|| view! { <p class="loading">"Loading the cohort…"</p> }>
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
            <h2 id="credentials-heading">"Credentials"</h2>
            <p class="notice" role="status">
                {done(revoke, "revoked", "Credential revoked. Its public page and every verifier now say so, with your reason.")}
            </p>
            <p class="meta">
                "Badges issued to this cohort's teachers. Revoking one marks it revoked on its public page and in the status list every verifier reads; the reason is shown publicly."
            </p>
            <FormAlert error fields=&["revoke[reason]"] />
            {if list.is_empty() {
                view! { <p class="empty">"No credentials issued yet."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Credentials issued to this cohort">
                        <table class="credentials-table">
                            <caption class="visually-hidden">"Credentials issued to this cohort"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Teacher"</th>
                                    <th scope="col">"Credential"</th>
                                    <th scope="col">"Issued"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|c| {
                                    let id = c.public_id.clone();
                                    let field_id = format!("revoke-reason-{id}");
                                    let href = format!("/credentials/{id}");
                                    let row_id = id.clone();
                                    let which = format!(" {} of {}", c.name, c.holder);
                                    let question = format!(
                                        "Revoke “{}” of {}? From that moment its public page and every verifier say it is revoked, with the reason you give here. This cannot be undone.",
                                        c.name, c.holder,
                                    );
                                    view! {
                                        <tr data-credential=row_id>
                                            <td>{c.holder.clone()}</td>
                                            <td><A exact=true href=href>{c.name.clone()}</A></td>
                                            <td>{c.issued.clone()}</td>
                                            <td>
                                                {match c.revoked.clone() {
                                                    Some(r) => view! { <span>{format!("Revoked {}: {}", r.on, r.reason)}</span> }.into_any(),
                                                    None => view! {
                                                        <Confirm
                                                            toggle="Revoke…"
                                                            target=which.clone()
                                                            question=question.clone()
                                                        >
                                                            <ActionForm action=revoke attr:class="inline-revoke">
                                                                <input type="hidden" name="cohort" value=cohort_id />
                                                                <input type="hidden" name="id" value=id />
                                                                <label for=field_id.clone()>"Reason for revoking"</label>
                                                                <input id=field_id type="text" name="reason" maxlength="500" required />
                                                                <button class="button button--small button--danger" type="submit">
                                                                    "Revoke now"
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
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/coordinator">"Cohorts"</A>
                </li>
                <li aria-current="page">{s.name.clone()}</li>
            </ol>
        </nav>
        <h1>{s.name.clone()}</h1>
        <p class="notice" role="status">
            {(use_query_map().read_untracked().get("changed").as_deref() == Some("created"))
                .then_some("Cohort created. Invite its members below.")}
        </p>
        <p class="meta">{format!("{} to {} · {} framework", s.starts_on, s.ends_on, s.framework)}</p>
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
    view! {
        <section class="section" aria-labelledby="assessment-heading">
            <h2 id="assessment-heading">"Assessment"</h2>
            <p>
                <A exact=true href="/assess">"Assessment queue"</A>
                " · "
                <A exact=true href=format!("/coordinator/cohorts/{cohort_id}/moderation")>"Moderation and extra attempts"</A>
                " · "
                <A exact=true href=format!("/coordinator/cohorts/{cohort_id}/evaluation")>"Evaluation of the cohort"</A>
            </p>
            <ActionForm action=save attr:class="settings-form">
                <input type="hidden" name="cohort_id" value=cohort_id />
                <TextField
                    label="Attempts per competency"
                    name="max_attempts"
                    kind="number"
                    hint="After this many “Not yet” decisions, a coordinator must allow another attempt."
                    value=settings.max_attempts.to_string()
                    error
                />
                <TextField
                    label="Review turnaround target (business days)"
                    name="turnaround_days"
                    kind="number"
                    hint="From submission to decision, Monday to Friday. The evaluation page highlights decisions and waiting submissions beyond it."
                    value=settings.turnaround_days.to_string()
                    error
                />
                <div class="pick">
                    <input type="checkbox" id="blind-review" name="blind_review" value="on" checked=settings.blind_review />
                    <label for="blind-review">"Blind review: assessors do not see teachers' names or emails"</label>
                </div>
                <FormAlert error fields=&["max_attempts", "turnaround_days"] />
                <button class="button button--small" type="submit">"Save assessment settings"</button>
                <span class="save-status" role="status">{move || saved().then_some("Saved")}</span>
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
            <h2 id="members-heading">{format!("Members ({})", members.len())}</h2>
            // A file, not a page: `rel="external"` keeps the router from handling the click.
            <p>
                <a href=format!("/coordinator/cohorts/{cohort_id}/roster.csv") download="" rel="external">
                    "Download the roster with each teacher's progress (CSV)"
                </a>
                " – counts and dates only, never journal text. Each download is recorded in the audit trail."
            </p>
            <p class="notice" role="status">
                {done(actions.deactivate, "deactivated", "Member deactivated: they are signed out and cannot sign in. Everything they did is kept.")}
                {done(actions.reactivate, "reactivated", "Member reactivated: they can sign in again.")}
            </p>
            <FormAlert error=deactivate_error fields=&[] />
            <FormAlert error=reactivate_error fields=&[] />
            <div class="notice" role="status">
                {move || {
                    issued()
                        .map(|link| {
                            view! {
                                <p>
                                    "One-time reset link (valid 24 hours), e-mailed to the member. If it does not arrive, give it to them privately:"
                                </p>
                                <CopyField label="Reset link" value=link />
                            }
                        })
                }}
            </div>
            <TableScroll label="Members of this cohort">
                <table class="table">
                        <caption class="visually-hidden">"Members of this cohort"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Email"</th>
                                <th scope="col">"Roles"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Actions"</th>
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
        "Active"
    } else {
        "Deactivated"
    };
    let reset_label = format!("Reset link for {}", member.name);
    let deactivate_label = format!("Deactivate {}", member.name);
    let reactivate_label = format!("Reactivate {}", member.name);
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
                                toggle="Deactivate…"
                                target=format!(" {}", member.name)
                                question=format!(
                                    "Deactivate {}? They are signed out and can no longer sign in; everything they wrote and earned is kept, and an institution coordinator can reactivate them.",
                                    member.name,
                                )
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
            <h2 id="invitations-heading">"Invitations"</h2>
            <p class="notice" role="status">
                {done(actions.revoke, "invitation-revoked", "Invitation revoked: its link no longer works.")}
            </p>
            <p>
                "People join this cohort only through an invitation link. Each link gives one role, a number of places and an expiry date."
            </p>
            <div class="notice" role="status">
                {move || {
                    created()
                        .map(|link| {
                            view! {
                                <p>"Invitation created. Share this link:"</p>
                                <CopyField label="New invitation link" value=link />
                            }
                        })
                }}
            </div>
            <ActionForm action=actions.invite attr:class="inline-fields">
                <input type="hidden" name="cohort_id" value=cohort_id />
                <FormAlert error fields=&["role", "valid_days", "seats"] />
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        {Role::ALL
                            .iter()
                            .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField label="Valid for (days)" name="valid_days" kind="number" value="14" error />
                <TextField label="Places" name="seats" kind="number" value="30" error />
                <button class="button" type="submit">
                    "Create invitation"
                </button>
            </ActionForm>
            <EmailInvitations cohort_id action=actions.email_invite />
            {(!invitations.is_empty())
                .then(|| {
                    view! {
                        <TableScroll label="Invitations of this cohort">
                            <table class="table">
                                    <caption class="visually-hidden">"Invitations of this cohort"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Role"</th>
                                            <th scope="col">"Link"</th>
                                            <th scope="col">"Places used"</th>
                                            <th scope="col">"Expires"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Action"</th>
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
        <h3 id="invite-by-email">"Invite by e-mail"</h3>
        <p>
            "Paste addresses (one per line, or separated by commas). Each person gets an e-mail with a link of their own, for one place; someone who already has an account is asked to sign in and accept."
        </p>
        <p class="notice" role="status">
            {move || sent().map(|n| format!(
                "{n} {} e-mailed. {}",
                if n == 1 { "invitation" } else { "invitations" },
                "They are listed below with the address each went to."
            ))}
        </p>
        <ActionForm action attr:class="settings-form">
            <input type="hidden" name="cohort_id" value=cohort_id />
            // Every field's error shows here: these inputs are plain ones, not `TextField`s.
            <FormAlert error fields=&[] />
            <div class="field">
                <label for="field-addresses">"Addresses"</label>
                <textarea id="field-addresses" name="addresses" rows="5" maxlength="20000" required></textarea>
            </div>
            <div class="inline-fields">
                <div class="field">
                    <label for="field-email-role">"Invite them as"</label>
                    <select id="field-email-role" name="role">
                        {Role::ALL
                            .iter()
                            .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                // Not a TextField: the link form above has a field of the same name (and id).
                <div class="field">
                    <label for="field-email-valid-days">"Valid for (days)"</label>
                    <input id="field-email-valid-days" name="valid_days" type="number" value="14" min="1" max="90" required />
                </div>
            </div>
            <button class="button" type="submit">"E-mail the invitations"</button>
        </ActionForm>
    }
}

#[component]
fn InvitationRow(invitation: InvitationView, actions: Actions) -> impl IntoView {
    let open = invitation.state == InvitationState::Open;
    // Names the invitation among others of the same role: its link's last characters.
    let tail = invitation.link.chars().rev().take(6).collect::<Vec<_>>();
    let tail = tail.into_iter().rev().collect::<String>();
    let label = format!(
        "{} invitation link ending “…{tail}”",
        invitation.role.label()
    );
    let which = format!(
        " the {} invitation ending “…{tail}”",
        invitation.role.label()
    );
    view! {
        <tr>
            <td>
                {invitation.role.label()}
                {invitation.email.clone().map(|e| view! { <br /><span class="meta">{format!("for {e}")}</span> })}
            </td>
            <td>
                <CopyField label=label value=invitation.link.clone() />
            </td>
            <td>{format!("{} of {}", invitation.uses, invitation.max_uses)}</td>
            <td>{invitation.expires.clone()}</td>
            <td>{invitation.state.label()}</td>
            <td>
                {open
                    .then(|| {
                        view! {
                            <Confirm
                                toggle="Revoke…"
                                target=which.clone()
                                question=format!(
                                    "Revoke this {} invitation? Its link stops working at once for anyone who has not joined yet; people who joined stay. This cannot be undone.",
                                    invitation.role.label(),
                                )
                            >
                                <ActionForm action=actions.revoke attr:class="inline-form">
                                    <input type="hidden" name="invitation_id" value=invitation.id />
                                    <button class="button button--small button--danger" type="submit">
                                        "Revoke now"
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
    view! {
        <span class="copy-field">
            <input type="text" readonly value=value aria-label=label.clone() />
            <button class="button button--small js-only" type="button" on:click=copy>
                {move || if copied.get() { "Copied" } else { "Copy" }}
                <span class="visually-hidden">{format!(" {label}")}</span>
            </button>
        </span>
    }
}
