//! The home page: what the credential is and how it works.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// One step of the journey shown on the home page.
pub(crate) struct Step {
    pub(crate) title: &'static str,
    pub(crate) text: &'static str,
}

pub(crate) const STEPS: [Step; 5] = [
    Step {
        title: "Learn",
        text: "Short units for each competency: readings, real mentoring scenarios and prompts, three to fifteen minutes each, whenever suits you.",
    },
    Step {
        title: "Reflect",
        text: "Rate yourself against every indicator, then keep a private journal. Your baseline and current ratings chart how you grow.",
    },
    Step {
        title: "Submit",
        text: "When you are ready, put together evidence for a competency: your reasoning for each indicator and the journal entries you choose to share.",
    },
    Step {
        title: "Get assessed",
        text: "An assessor reviews your evidence indicator by indicator and decides Competent or Not yet, with feedback. Not yet means try again, never fail.",
    },
    Step {
        title: "Earn badges",
        text: "A badge for each domain you complete and the micro-credential for all four: signed Open Badges that anyone can verify.",
    },
];

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    crate::mark_hydrated();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Mentoring micro-credential for teachers"</h1>
            <p class="lead">
                "A self-paced course for in-service teachers who mentor pre-service and novice colleagues. Work through the Mentoring Competency Framework at your own pace, reflect on your practice, show what you can do, and earn a credential your school can check."
            </p>
            <p>
                <A exact=true href="/frameworks/mcf" attr:class="button">
                    "Explore the framework"
                </A>
            </p>
        </section>
        <section class="section" aria-labelledby="how-heading">
            <h2 id="how-heading">"How it works"</h2>
            <ol class="steps">
                {STEPS
                    .iter()
                    .map(|s| {
                        view! {
                            <li class="steps__item">
                                <h3>{s.title}</h3>
                                <p>{s.text}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <section class="section" aria-labelledby="framework-heading">
            <h2 id="framework-heading">"Built on a research framework"</h2>
            <p>
                "The course follows the Mentoring Competency Framework: four professional domains (Professional Identity; Professional Knowledge and Skills; Professional Relationships; Professional Dispositions) and seven competencies, each described by concrete indicators. Mentoring is treated as reciprocal learning: you grow as your mentee does."
            </p>
            <p>
                <A exact=true href="/frameworks/mcf">"See the four domains and seven competencies"</A>
            </p>
        </section>
    }
}
