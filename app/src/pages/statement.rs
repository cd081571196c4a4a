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

/// The statement editor.
#[component]
pub fn StatementPage() -> impl IntoView {
    view! {
        <Title text="Your Learning Statement" />
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
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
                        <label for=include_id>{format!("Include “{}”", part.title())}</label>
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <h1>"Your Learning Statement"</h1>
        <p>
            "A statement of what you can do as a result of this course, in your words, to keep and to share as you choose. You decide which parts go in: only the programme description and your credentials (public anyway) are included until you choose otherwise."
        </p>
        <p>
            <A exact=true href="/learning-statement/print">"Printable statement"</A>
            " · "
            <a href="/learning-statement.json" download>"Download as a file (JSON)"</a>
            {s.saved.clone().map(|d| format!(" · last saved {d}"))}
        </p>
        <ActionForm action=save attr:class="statement-form">
            {parts}
            <FormAlert error fields=&[] />
            <button class="button" type="submit">"Save statement"</button>
            <span class="save-status" role="status">{move || saved().then_some("Saved")}</span>
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
            Some("Signed: your record is ready to share.")
        } else if matches!(withdraw.value().get(), Some(Ok(())))
            || (withdraw.value().get().is_none() && query.read().get("withdrawn").is_some())
        {
            Some("Withdrawn: the signed record no longer verifies.")
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
                    {format!("Signed on {}. ", r.issued)}
                    <a href=page>"Its verification page"</a>
                    " · "
                    <a href=file download>"Download the signed record (JSON)"</a>
                </p>
            }
            .into_any(),
            Some(why) => view! {
                <p data-record-state="revoked">
                    {format!("Your last signed record (signed on {}) no longer verifies: {why}. ", r.issued)}
                    <a href=page>"Its verification page"</a>
                </p>
            }
            .into_any(),
        }
    });
    view! {
        <section class="signed-record" id="signed-record" aria-labelledby="signed-record-title">
            <h2 id="signed-record-title">"Signed record"</h2>
            <p>
                "Sign your statement as one credential that anyone can check: a Comprehensive Learner Record (1EdTech CLR 2.0), signed by the institution, holding each of your badges with its own signature, how they fit together, and the parts you chose above, as last saved. Save first if you changed anything. Anyone who has the record or its link can read the parts you included."
            </p>
            {current}
            <p class="save-status" role="status">{done}</p>
            {if s.can_sign() {
                view! {
                    <ActionForm action=sign attr:class="inline-form">
                        <FormAlert error=sign_error fields=&[] />
                        <button class="button" type="submit">
                            {if live { "Sign again with my saved statement" } else { "Sign my statement" }}
                        </button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { <p class="hint">"You can sign your statement once you hold a badge."</p> }.into_any()
            }}
            {live.then(|| view! {
                <Confirm
                    toggle="Withdraw…"
                    target=" the signed record"
                    question="The signed record stops verifying for everyone you gave it to, at once. Your statement and your badges stay as they are, and you can sign a new record later."
                >
                    <ActionForm action=withdraw attr:class="inline-form">
                        <FormAlert error=withdraw_error fields=&[] />
                        <button class="button button--danger" type="submit">"Withdraw the signed record"</button>
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
        <Title text="Learning Statement" />
        <Private children=|_| view! { <StatementPrintLoader /> } />
    }
}

#[component]
fn StatementPrintLoader() -> impl IntoView {
    let statement = Resource::new(|| (), |()| get_statement());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
                    <TableScroll label="Competencies and their assessment">
                        <table class="results-table">
                            <caption class="visually-hidden">"Competencies and their assessment"</caption>
                            <thead><tr><th scope="col">"Domain"</th><th scope="col">"Competency"</th><th scope="col">"Assessment"</th></tr></thead>
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
                    view! { <p>"No credentials yet."</p> }.into_any()
                }
                Part::Credentials => view! {
                    <ul>
                        {s.credentials.iter().map(|c| view! {
                            <li>
                                <strong>{c.name.clone()}</strong>
                                {format!(", issued {}{}. Verify: ", c.issued, if c.revoked { " (revoked)" } else { "" })}
                                <a href=c.url.clone()>{c.url.clone()}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
                written => {
                    let text = s.text(*written).to_owned();
                    if text.is_empty() {
                        view! { <p class="empty">"(Not written yet.)"</p> }.into_any()
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
                <A exact=true href="/learning-statement">"Edit the statement"</A>
                " · "
                <button class="button button--small" type="button" on:click=print>"Print"</button>
                " (or use your browser's Print command)"
            </p>
            <h1>{format!("Learning Statement — {}", s.holder)}</h1>
            <p class="meta">{format!("Mentoring micro-credential course on the {}", s.framework)}</p>
            <p class="meta statement-document__date">
                {format!("Dated {}", s.as_of)}
                {s.saved.clone().map(|d| format!(" · last written {d}"))}
            </p>
            {if s.included.is_empty() {
                view! { <p class="empty">"No parts are included. Choose them on the statement page."</p> }.into_any()
            } else {
                sections.into_any()
            }}
        </article>
    }
}
