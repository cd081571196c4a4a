//! What teachers, assessors and coordinators all see of a submission: the frozen snapshot
//! (indicator by indicator: rationale and evidence) and a decision with its rubric ratings.

use crate::components::layout::TableScroll;
use crate::domain::assessment::{
    Decision, EvidenceItem, Snapshot, SnapshotIndicator, SubmissionStatus,
};
use leptos::prelude::*;

use crate::t;

/// The submission as an assessor sees it. `rate` renders something beside each indicator
/// (the review screen's rubric), given the indicator's position and itself.
#[component]
pub fn SnapshotView(
    /// What was submitted (or would be).
    snapshot: Snapshot,
    /// Rendered under each indicator's evidence (the rubric on the review screen).
    #[prop(default = None)]
    rate: Option<Callback<(usize, SnapshotIndicator), AnyView>>,
) -> impl IntoView {
    view! {
        <h2 class="snapshot__heading">{t!(assessment.evidence_heading)}</h2>
        <ol class="snapshot">
            {snapshot
                .indicators
                .into_iter()
                .enumerate()
                .map(|(n, ind)| {
                    let heading_id = format!("indicator-{}", ind.slug);
                    let extra = rate.map(|r| r.run((n, ind.clone())));
                    view! {
                        <li class="snapshot__indicator" aria-labelledby=heading_id.clone()>
                            <h3 id=heading_id.clone()>{format!("{}. {}", n + 1, ind.text)}</h3>
                            <div class="snapshot__rationale">
                                <h4>{t!(assessment.rationale_heading)}</h4>
                                {if ind.rationale.trim().is_empty() {
                                    view! { <p class="meta">{t!(assessment.no_rationale)}</p> }.into_any()
                                } else {
                                    view! { <p class="prose-text">{ind.rationale.clone()}</p> }.into_any()
                                }}
                            </div>
                            <div class="snapshot__evidence">
                                <h4>{t!(assessment.evidence)}</h4>
                                {if ind.evidence.is_empty() {
                                    view! { <p class="meta">{t!(assessment.no_evidence)}</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="evidence-list">
                                            {ind
                                                .evidence
                                                .iter()
                                                .cloned()
                                                .map(|e| view! { <EvidenceView item=e /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </div>
                            {extra}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// One piece of evidence.
#[component]
fn EvidenceView(item: EvidenceItem) -> impl IntoView {
    let kind = match item.kind.as_str() {
        "journal" => t!(assessment.kind_journal),
        "rating" => t!(assessment.kind_checklist),
        "upload" => t!(assessment.kind_file),
        _ => t!(assessment.kind_link),
    };
    view! {
        <li class="evidence">
            <span class="evidence__kind">{kind}</span>
            {match item.kind.as_str() {
                "journal" => {
                    view! {
                        <details class="evidence__entry">
                            <summary>{item.title.clone()}</summary>
                            {if item.html.is_empty() {
                                view! { <p class="prose-text">{item.text.clone()}</p> }.into_any()
                            } else {
                                // Rendered and sanitised on the server, as the journal previews it.
                                view! { <div class="prose" inner_html=item.html.clone()></div> }.into_any()
                            }}
                        </details>
                    }
                        .into_any()
                }
                "upload" => {
                    let href = item.upload_id.map(|id| format!("/uploads/{id}")).unwrap_or_default();
                    view! {
                        <a href=href download rel="nofollow">
                            {item.title.clone()}
                        </a>
                        <span class="meta">{format!(" ({})", item.media_type)}</span>
                    }
                        .into_any()
                }
                "rating" => {
                    view! {
                        <strong>{item.title.clone()}</strong>
                        {(!item.text.is_empty()).then(|| view! { <p class="prose-text">{item.text.clone()}</p> })}
                        {(!item.url.is_empty())
                            .then(|| {
                                view! {
                                    <a href=item.url.clone() rel="noopener noreferrer nofollow" target="_blank">
                                        {item.url.clone()}
                                    </a>
                                }
                            })}
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <a href=item.url.clone() rel="noopener noreferrer nofollow" target="_blank">
                            {item.title.clone()}
                        </a>
                        {(item.title != item.url).then(|| view! { <span class="meta">{format!(" {}", item.url)}</span> })}
                    }
                        .into_any()
                }
            }}
        </li>
    }
}

/// A decision: the outcome, the feedback and the rating of every indicator.
#[component]
pub fn DecisionView(
    /// The decision.
    decision: Decision,
    /// Heading level text, e.g. "Decision".
    #[prop(into)]
    heading: String,
) -> impl IntoView {
    let outcome = if decision.competent {
        SubmissionStatus::Competent
    } else {
        SubmissionStatus::NotYet
    };
    view! {
        <section class="decision" class:decision--competent=decision.competent>
            <h3>
                {crate::i18n::k::assessment::heading_colon(&heading)}
                <span class=format!("status status--{}", outcome.as_str())>{outcome.label()}</span>
            </h3>
            <p class="meta">
                {match decision.assessor.clone() {
                    Some(a) => {
                        crate::i18n::k::assessment::decided_by(
                            crate::domain::time::utc_minute(decision.decided_at),
                            a,
                        )
                    }
                    None => {
                        crate::i18n::k::assessment::decided(
                            crate::domain::time::utc_minute(decision.decided_at),
                        )
                    }
                }}
            </p>
            <h4>{t!(assessment.feedback)}</h4>
            <p class="prose-text">{decision.feedback.clone()}</p>
            {(!decision.improve.is_empty())
                .then(|| {
                    view! {
                        <h4>{t!(assessment.improve)}</h4>
                        <p class="prose-text">{decision.improve.clone()}</p>
                    }
                })}
            <TableScroll label=t!(assessment.ratings_caption)>
                <table class="rubric-table">
                    <caption>{t!(assessment.ratings_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(assessment.col_indicator)}</th>
                            <th scope="col">{t!(assessment.col_rating)}</th>
                            <th scope="col">{t!(assessment.col_comment)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {decision
                            .ratings
                            .iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <th scope="row">{r.text.clone()}</th>
                                        <td>{r.level.label()}</td>
                                        <td>{r.comment.clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableScroll>
        </section>
    }
}

/// A status as a small label.
#[component]
pub fn StatusLabel(
    /// `None`: not started.
    status: Option<SubmissionStatus>,
) -> impl IntoView {
    let (class, text) = match status {
        Some(s) => (format!("status status--{}", s.as_str()), s.label()),
        None => ("status status--none".to_owned(), t!(assessment.not_started)),
    };
    view! { <span class=class>{text}</span> }
}
