//! `/learning-statement`: the teacher writes their Learning Statement and chooses its parts;
//! `/learning-statement/print`: the chosen parts as a printable document.

use crate::api::statement::{get_statement, SaveStatement, SignStatement, WithdrawStatement};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, Confirm, FormAlert};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::statement::{LearningStatement, Part};
use crate::pages::dashboard::GrowthChart;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::t;

/// The statement editor.
#[component]
pub fn StatementPage() -> impl IntoView {
    view! {
        <Title text=t!(statement.title) />
        <Private children=|_| view! { <StatementEditor /> } />
    }
}

#[component]
fn StatementEditor() -> impl IntoView {
    let save = ServerAction::<SaveStatement>::new();
    let sign = ServerAction::<SignStatement>::new();
    let withdraw = ServerAction::<WithdrawStatement>::new();
    let statement = Resource::new(
        move || {
            (
                save.version().get(),
                sign.version().get(),
                withdraw.version().get(),
            )
        },
        |_| get_statement(),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(statement.loading)}</p> }>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => view! {
                        <StatementForm s=s.clone() save />
                        <SignedRecordSection s sign withdraw />
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatementForm(s: LearningStatement, save: ServerAction<SaveStatement>) -> impl IntoView {
    let error = use_form_error(save);
    let query = use_query_map();
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || (save.value().get().is_none() && query.read().get("saved").is_some())
    };
    let parts = Part::ALL
        .into_iter()
        .map(|part| {
            let key = part.key();
            let include_id = format!("include-{key}");
            let text_id = format!("text-{key}");
            let hint_id = format!("hint-{key}");
            let field = format!("statement[text][{key}]");
            let text = echo_or(&field, s.text(part).to_owned());
            // Writing in a part includes it (with JavaScript): the first text typed ticks its
            // box once; after that, or after the teacher sets the box themselves, only they
            // change it.
            let included = RwSignal::new(s.includes(part));
            let decided = StoredValue::new(false);
            let on_input = move |ev: leptos::ev::Event| {
                if !decided.get_value() && !event_target_value(&ev).trim().is_empty() {
                    decided.set_value(true);
                    included.set(true);
                }
            };
            let on_change = move |ev: leptos::ev::Event| {
                decided.set_value(true);
                included.set(event_target_checked(&ev));
            };
            view! {
                <fieldset class="statement-part">
                    <legend>{part.title()}</legend>
                    <p class="hint" id=hint_id.clone()>{part.hint()}</p>
                    {part.written().then(|| view! {
                        <label class="visually-hidden" for=text_id.clone()>{part.title()}</label>
                        <textarea id=text_id name=field rows="4" aria-describedby=hint_id inner_html=textarea_html(&text) prop:defaultValue=text.clone() on:input=on_input></textarea>
                    })}
                    <div class="pick">
                        <input
                            type="checkbox"
                            id=include_id.clone()
                            name=format!("statement[include][{key}]")
                            value="on"
                            checked=s.includes(part)
                            prop:checked=included
                            on:change=on_change
                        />
                        <label for=include_id>{crate::i18n::k::statement::include_part(part.title())}</label>
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(statement.title)}</h1>
        <p>
            {t!(statement.intro)}
        </p>
        <p>
            <A exact=true href="/learning-statement/print">{t!(statement.printable_link)}</A>
            " · "
            <a href="/learning-statement.json" download>{t!(statement.download_json)}</a>
            {s.saved.clone().map(|d| crate::i18n::k::statement::last_saved(&d))}
        </p>
        <ActionForm action=save attr:class="statement-form">
            {parts}
            <FormAlert error fields=&[] />
            <button class="button" type="submit">{t!(statement.save_button)}</button>
            <span class="save-status" role="status">{move || saved().then_some(t!(statement.saved))}</span>
        </ActionForm>
    }
}

/// The signed record: a CLR 2.0 credential of the holder's badges and chosen parts, its page and
/// file, signing it (again) and withdrawing it.
#[component]
fn SignedRecordSection(
    s: LearningStatement,
    sign: ServerAction<SignStatement>,
    withdraw: ServerAction<WithdrawStatement>,
) -> impl IntoView {
    let sign_error = use_form_error(sign);
    let withdraw_error = use_form_error(withdraw);
    let query = use_query_map();
    let done = move || {
        if matches!(sign.value().get(), Some(Ok(_)))
            || (sign.value().get().is_none() && query.read().get("signed").is_some())
        {
            Some(t!(statement.signed_done))
        } else if matches!(withdraw.value().get(), Some(Ok(())))
            || (withdraw.value().get().is_none() && query.read().get("withdrawn").is_some())
        {
            Some(t!(statement.withdrawn_done))
        } else {
            None
        }
    };
    let live = s.record.as_ref().is_some_and(|r| r.revoked.is_none());
    let current = s.record.clone().map(|r| {
        let page = format!("/credentials/{}", r.public_id);
        let file = format!("/credentials/{}/credential.json", r.public_id);
        match r.revoked {
            None => view! {
                <p data-record-state="live">
                    {crate::i18n::k::statement::signed_on(&r.issued)}
                    <a href=page>{t!(statement.verification_page_link)}</a>
                    " · "
                    <a href=file download>{t!(statement.download_record)}</a>
                </p>
            }
            .into_any(),
            Some(why) => view! {
                <p data-record-state="revoked">
                    {crate::i18n::k::statement::record_revoked(&r.issued, &why)}
                    <a href=page>{t!(statement.verification_page_link)}</a>
                </p>
            }
            .into_any(),
        }
    });
    view! {
        <section class="signed-record" id="signed-record" aria-labelledby="signed-record-title">
            <h2 id="signed-record-title">{t!(statement.signed_record_heading)}</h2>
            <p>
                {t!(statement.signed_record_intro)}
            </p>
            {current}
            <p class="save-status" role="status">{done}</p>
            {if s.can_sign() {
                view! {
                    <ActionForm action=sign attr:class="inline-form">
                        <FormAlert error=sign_error fields=&[] />
                        <button class="button" type="submit">
                            {if live { t!(statement.sign_again) } else { t!(statement.sign) }}
                        </button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { <p class="hint">{t!(statement.sign_needs_badge)}</p> }.into_any()
            }}
            {live.then(|| view! {
                <Confirm
                    toggle=t!(statement.withdraw_toggle)
                    target=t!(statement.withdraw_target)
                    question=t!(statement.withdraw_question)
                >
                    <ActionForm action=withdraw attr:class="inline-form">
                        <FormAlert error=withdraw_error fields=&[] />
                        <button class="button button--danger" type="submit">{t!(statement.withdraw_button)}</button>
                    </ActionForm>
                </Confirm>
            })}
        </section>
    }
}

/// The chosen parts, ready to print.
#[component]
pub fn StatementPrintPage() -> impl IntoView {
    view! {
        <Title text=t!(statement.print_title) />
        <Private children=|_| view! { <StatementPrintLoader /> } />
    }
}

#[component]
fn StatementPrintLoader() -> impl IntoView {
    let statement = Resource::new(|| (), |()| get_statement());
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(statement.loading)}</p> }>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => view! { <StatementDocument s /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatementDocument(s: LearningStatement) -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let sections = s
        .included
        .iter()
        .map(|part| {
            let body = match part {
                Part::Programme => view! {
                    <p>{s.programme.clone()}</p>
                    <p class="meta">{s.attribution.clone()}</p>
                }
                .into_any(),
                Part::Competencies => {
                    let lines = s.competencies.clone();
                    view! {
                    <TableScroll label=t!(statement.competencies_caption)>
                        <table class="results-table">
                            <caption class="visually-hidden">{t!(statement.competencies_caption)}</caption>
                            <thead><tr><th scope="col">{t!(statement.col_domain)}</th><th scope="col">{t!(statement.col_competency)}</th><th scope="col">{t!(statement.col_assessment)}</th></tr></thead>
                            <tbody>
                                {lines.iter().map(|c| view! {
                                    <tr><td>{c.domain.clone()}</td><td>{c.title.clone()}</td><td>{c.status.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }
                .into_any()
                }
                Part::Growth => view! { <GrowthChart rows=s.growth.clone() /> }.into_any(),
                Part::Credentials if s.credentials.is_empty() => {
                    view! { <p>{t!(statement.no_credentials)}</p> }.into_any()
                }
                Part::Credentials => view! {
                    <ul>
                        {s.credentials.iter().map(|c| view! {
                            <li>
                                <strong>{c.name.clone()}</strong>
                                {if c.revoked {
                                    crate::i18n::k::statement::credential_issued_revoked(&c.issued)
                                } else {
                                    crate::i18n::k::statement::credential_issued(&c.issued)
                                }}
                                <a href=c.url.clone()>{c.url.clone()}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
                written => {
                    let text = s.text(*written).to_owned();
                    if text.is_empty() {
                        view! { <p class="empty">{t!(statement.not_written)}</p> }.into_any()
                    } else {
                        text.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view().into_any()
                    }
                }
            };
            view! {
                <section class="statement-section" data-part=part.key()>
                    <h2>{part.title()}</h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    view! {
        <article class="statement-document">
            <p class="no-print">
                <A exact=true href="/learning-statement">{t!(statement.edit_link)}</A>
                " · "
                <button class="button button--small" type="button" on:click=print>{t!(statement.print_button)}</button>
                {t!(statement.print_hint)}
            </p>
            <h1>{crate::i18n::k::statement::document_heading(&s.holder)}</h1>
            <p class="meta">{crate::i18n::k::statement::course_on(&s.framework)}</p>
            <p class="meta statement-document__date">
                {crate::i18n::k::statement::dated(&s.as_of)}
                {s.saved.clone().map(|d| crate::i18n::k::statement::last_written(&d))}
            </p>
            {if s.included.is_empty() {
                view! { <p class="empty">{t!(statement.no_parts)}</p> }.into_any()
            } else {
                sections.into_any()
            }}
        </article>
    }
}
