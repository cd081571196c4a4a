//! Evidence and assessment, end to end through the real router on both engines: drafts,
//! snapshots, decisions and attempts, claims, blind review, refusals, audit atomicity,
//! moderation and uploads.

use crate::common;

use app::domain::account::Role;
use app::domain::assessment::{
    ClaimState, DraftOutcome, ModerationView, Notifications, Queue, ReviewView, Snapshot,
    SubmissionStatus, Workspace,
};
use common::{Cast, Engine, Person, Reply, TestApp};

const COMPETENCY: &str = "innovation-and-creativity";
const INDICATORS: [&str; 3] = [
    "generating-new-ideas",
    "taking-risks-with-new-strategies",
    "charting-growth-knowledge",
];

/// A cohort with people in it, each with a session.
struct World {
    app: TestApp,
    cohort: i64,
    other_cohort: i64,
    cast: Cast,
}

impl World {
    /// `teacher`, `teacher2`, `assessor`, `assessor2`, `coordinator` in the cohort;
    /// `outsider` (assessor of another cohort); `both` (teacher and assessor of the cohort).
    async fn new(engine: Engine) -> Option<Self> {
        let app = TestApp::new(engine).await?;
        let roster: [Person; 7] = [
            ("teacher", "Tamsin Teacher", &[(true, Role::Teacher)]),
            ("teacher2", "Theo Second", &[(true, Role::Teacher)]),
            ("assessor", "Ada Assessor", &[(true, Role::Assessor)]),
            ("assessor2", "Basil Marker", &[(true, Role::Assessor)]),
            (
                "coordinator",
                "Cora Coordinator",
                &[(true, Role::Coordinator)],
            ),
            ("outsider", "Otto Outsider", &[(false, Role::Assessor)]),
            (
                "both",
                "Bea Both",
                &[(true, Role::Teacher), (true, Role::Assessor)],
            ),
        ];
        let cast = Cast::new(&app, "Cohort", "a.test", &roster).await;
        Some(Self {
            app,
            cohort: cast.cohort,
            other_cohort: cast.other_cohort,
            cast,
        })
    }

    fn cookie(&self, who: &str) -> &str {
        self.cast.cookie(who)
    }

    fn id(&self, who: &str) -> i64 {
        self.cast.id(who)
    }

    async fn post(&self, who: &str, path: &str, fields: &[(&str, String)]) -> Reply {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app
            .post_form(path, &pairs, Some(self.cookie(who)))
            .await
    }

    async fn get(&self, who: &str, path: &str) -> Reply {
        self.app.get_as(path, self.cookie(who)).await
    }

    async fn workspace(&self, who: &str) -> Workspace {
        let r = self
            .get(
                who,
                &format!("/api/submission/workspace?framework=mcf&competency={COMPETENCY}"),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("workspace JSON")
    }

    /// Saves (or submits) a draft with a rationale for every indicator and the entry offered
    /// for the first one.
    async fn save(
        &self,
        who: &str,
        base: i64,
        intent: &str,
        rationale: &str,
        entry: Option<i64>,
    ) -> Reply {
        let mut fields = vec![
            ("draft[framework]", "mcf".to_owned()),
            ("draft[competency]", COMPETENCY.to_owned()),
            ("draft[base_version]", base.to_string()),
            ("draft[intent]", intent.to_owned()),
        ];
        let keys: Vec<String> = INDICATORS
            .iter()
            .map(|s| format!("draft[rationale][{s}]"))
            .collect();
        for k in &keys {
            fields.push((k.as_str(), format!("{rationale} ({k})")));
        }
        let pick = entry.map(|e| format!("draft[pick][{}__j{e}]", INDICATORS[0]));
        if let Some(p) = &pick {
            fields.push((p.as_str(), "on".to_owned()));
        }
        let links = format!("draft[links][{}]", INDICATORS[1]);
        fields.push((
            links.as_str(),
            "https://example.org/lesson Lesson plan".to_owned(),
        ));
        self.post(who, "/api/submission/save", &fields).await
    }

    async fn entry(&self, who: &str, title: &str, body: &str) -> i64 {
        let r = self
            .post(
                who,
                "/api/journal/create",
                &[("entry[title]", title.into()), ("entry[body]", body.into())],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body.trim().parse().expect("entry id")
    }

    /// A teacher writes an entry and submits; answers (entry id, submission id).
    async fn submitted(&self, who: &str) -> (i64, i64) {
        let entry = self
            .entry(
                who,
                "A new idea tried",
                "We tried think-pair-share in Year 9.",
            )
            .await;
        let ws = self.workspace(who).await;
        let r = self
            .save(who, ws.version, "submit", "Because", Some(entry))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let out: DraftOutcome = serde_json::from_str(&r.body).expect("outcome");
        assert!(matches!(out, DraftOutcome::Submitted { .. }), "{out:?}");
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM submissions WHERE user_id = $1 AND status = 'submitted'",
        )
        .bind(self.id(who))
        .fetch_one(self.app.db.pool())
        .await
        .expect("submission");
        (entry, id)
    }

    async fn queue(&self, who: &str) -> Queue {
        let r = self.get(who, "/api/review/queue?competency=").await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("queue JSON")
    }

    async fn review(&self, who: &str, id: i64) -> Reply {
        self.get(who, &format!("/api/review/view?id={id}")).await
    }

    async fn claim(&self, who: &str, id: i64) -> Reply {
        self.post(who, "/api/review/claim", &[("id", id.to_string())])
            .await
    }

    /// Decides with these levels (one per indicator, in order).
    async fn decide(
        &self,
        who: &str,
        id: i64,
        levels: [u8; 3],
        decision: &str,
        improve: &str,
    ) -> Reply {
        let mut fields = vec![
            ("review[submission]", id.to_string()),
            ("review[feedback]", format!("Feedback from {who}")),
            ("review[improve]", improve.to_owned()),
            ("review[decision]", decision.to_owned()),
        ];
        let keys: Vec<(String, String)> = INDICATORS
            .iter()
            .map(|s| {
                (
                    format!("review[level][{s}]"),
                    format!("review[comment][{s}]"),
                )
            })
            .collect();
        for (i, (level, comment)) in keys.iter().enumerate() {
            fields.push((level.as_str(), levels[i].to_string()));
            fields.push((comment.as_str(), format!("Comment on {}", INDICATORS[i])));
        }
        self.post(who, "/api/review/decide", &fields).await
    }

    async fn audit_count(&self, action: &str, subject: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2")
            .bind(action)
            .bind(subject)
            .fetch_one(self.app.db.pool())
            .await
            .expect("audit count")
    }

    async fn notifications(&self, who: &str) -> Notifications {
        let r = self.get(who, "/api/notifications").await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("notifications JSON")
    }
}

fn field_of(reply: &Reply) -> String {
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    v["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

both_engines! {
    async fn the_full_cycle(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        // Nothing started yet.
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.status, None);
        assert!(ws.editable);
        assert_eq!(ws.attempts_allowed, 3);
        assert_eq!(ws.indicators.len(), 3);
        assert_eq!(ws.cohort.as_deref(), Some("Cohort A"));

        // Submitting with a rationale missing is refused, naming the field; nothing is lost.
        let entry = w.entry("teacher", "Risk taken", "Original text of the entry.").await;
        let r = w
            .post(
                "teacher",
                "/api/submission/save",
                &[
                    ("draft[framework]", "mcf".into()),
                    ("draft[competency]", COMPETENCY.into()),
                    ("draft[base_version]", "0".into()),
                    ("draft[intent]", "submit".into()),
                    ("draft[rationale][generating-new-ideas]", "Only one".into()),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        // Every problem at once (issue 15): each missing rationale, in the form's order, and
        // the missing evidence, each with its own message.
        let fields = field_of(&r);
        let fields: Vec<&str> = fields.split(' ').collect();
        let missing: Vec<String> = ws
            .indicators
            .iter()
            .filter(|i| i.slug != "generating-new-ideas")
            .map(|i| format!("draft[rationale][{}]", i.slug))
            .chain(["draft[evidence]".to_owned()])
            .collect();
        assert_eq!(fields, missing.iter().map(String::as_str).collect::<Vec<_>>(), "{}", r.body);
        assert!(fields.contains(&"draft[rationale][taking-risks-with-new-strategies]"));
        let messages = serde_json::from_str::<serde_json::Value>(&r.body).expect("json")["Invalid"]["message"]
            .as_str()
            .map(|m| m.lines().count());
        assert_eq!(messages, Some(missing.len()), "one message per problem: {}", r.body);

        // A draft saves on its version; a stale version is a conflict and writes nothing.
        let r = w.save("teacher", 0, "autosave", "Draft one", Some(entry)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let DraftOutcome::Saved { version, .. } = serde_json::from_str(&r.body).expect("outcome") else {
            panic!("not saved: {}", r.body)
        };
        assert_eq!(version, 1);
        let r = w.save("teacher", 0, "autosave", "Stale", None).await;
        assert_eq!(
            serde_json::from_str::<DraftOutcome>(&r.body).expect("outcome"),
            DraftOutcome::Conflict { version: 1 }
        );
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.status, Some(SubmissionStatus::Draft));
        assert!(ws.indicators[0].rationale.starts_with("Draft one"));
        assert_eq!(ws.indicators[0].journal, vec![entry]);
        assert_eq!(ws.indicators[1].links, "https://example.org/lesson Lesson plan");

        // The preview is what an assessor will see.
        let r = w.get("teacher", &format!("/api/submission/preview?framework=mcf&competency={COMPETENCY}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let preview: Snapshot = serde_json::from_str(&r.body).expect("snapshot");
        assert_eq!(preview.indicators[0].evidence[0].text, "Original text of the entry.");
        assert_eq!(preview.indicators[1].evidence[0].url, "https://example.org/lesson");

        // Submit.
        let r = w.save("teacher", 1, "submit", "Final", Some(entry)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            serde_json::from_str::<DraftOutcome>(&r.body).expect("outcome"),
            DraftOutcome::Submitted { attempt: 1 }
        );
        // Once submitted, the draft is closed.
        let r = w.save("teacher", 2, "autosave", "Later", None).await;
        assert_eq!(r.status, 422, "{}", r.body);

        // Later journal edits do not change what is assessed.
        let r = w
            .post(
                "teacher",
                "/api/journal/save",
                &[
                    ("entry[id]", entry.to_string()),
                    ("entry[base_version]", "1".into()),
                    ("entry[title]", "Risk taken".into()),
                    ("entry[body]", "Edited after submitting.".into()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);

        // The assessor sees it in the queue, with the teacher's name (not blind).
        assert_eq!(w.notifications("assessor").await.reviews_waiting, 1);
        let q = w.queue("assessor").await;
        assert_eq!(q.items.len(), 1);
        let id = q.items[0].id;
        assert_eq!(q.items[0].teacher.as_deref(), Some("Tamsin Teacher"));
        assert_eq!(q.items[0].claim, ClaimState::Open);
        let r = w.claim("assessor", id).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let view: ReviewView = serde_json::from_str(&w.review("assessor", id).await.body).expect("view");
        assert!(view.can_decide);
        assert_eq!(view.snapshot.indicators[0].evidence[0].text, "Original text of the entry.");
        assert!(!w.review("assessor", id).await.body.contains("Edited after submitting"));

        // Bad decisions are refused, naming the field, and change nothing.
        let r = w.decide("assessor", id, [3, 3, 3], "not_yet", "").await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "review[improve]".to_owned()));
        let r = w.decide("assessor", id, [3, 2, 2], "competent", "").await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "review[decision]".to_owned()));
        assert_eq!(w.audit_count("submission.decide", &format!("submission:{id}")).await, 0);

        // Not yet: a second attempt opens from the first one's content.
        let r = w.decide("assessor", id, [2, 2, 1], "not_yet", "Show the risk you took.").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(w.audit_count("submission.decide", &format!("submission:{id}")).await, 1);
        // Final: deciding again is refused.
        let r = w.decide("assessor", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(w.notifications("teacher").await.decisions_unseen, 1);
        // The dashboard names the decision first thing (issue 15), until the teacher opens it.
        let new_decision = |who: &'static str| {
            let w = &w;
            async move {
                let r = w.get(who, "/api/dashboard").await;
                assert_eq!(r.status, 200, "{}", r.body);
                let d: app::domain::dashboard::Dashboard = serde_json::from_str(&r.body).expect("dashboard");
                d.evidence.iter().find(|e| e.slug == COMPETENCY).expect("the competency").new_decision
            }
        };
        assert_eq!(new_decision("teacher").await, Some(false), "a Not yet not opened yet");
        let ws = w.workspace("teacher").await;
        assert_eq!(w.notifications("teacher").await.decisions_unseen, 0, "seen once opened");
        assert_eq!(new_decision("teacher").await, None, "no longer new once opened");
        assert_eq!(ws.status, Some(SubmissionStatus::Draft));
        assert_eq!(ws.attempt, 2);
        assert!(ws.editable);
        assert!(ws.indicators[0].rationale.starts_with("Final"), "starts from the previous content");
        assert_eq!(ws.history.len(), 2);
        let first = ws.history[1].decision.clone().expect("decision kept");
        assert!(!first.competent);
        assert_eq!(first.improve, "Show the risk you took.");
        assert_eq!(first.ratings.len(), 3);
        assert_eq!(first.assessor, None, "teachers see the decision, not who made it");

        // Resubmit; Competent.
        let r = w.save("teacher", ws.version, "submit", "Better", Some(entry)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let id2 = w.queue("assessor").await.items[0].id;
        assert_ne!(id, id2);
        // Its assessor sees the first attempt's decision and what changed since (issue 15).
        let r = w.review("assessor", id2).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let view: ReviewView = serde_json::from_str(&r.body).expect("review view");
        assert_eq!(view.earlier.len(), 1);
        assert_eq!(view.earlier[0].attempt, 1);
        // Journal entries reach the assessor rendered as their teacher previewed them.
        let journal = view.snapshot.indicators.iter().flat_map(|i| &i.evidence).find(|e| e.kind == "journal").expect("the entry");
        assert_eq!(journal.html, app::markdown::to_safe_html(&journal.text));
        assert!(journal.html.starts_with("<p>"), "{}", journal.html);
        let d = view.earlier[0].decision.clone().expect("the first decision");
        assert!(!d.competent);
        assert_eq!(d.improve, "Show the risk you took.");
        assert_eq!(view.changes.len(), INDICATORS.len());
        let c = &view.changes[0];
        let words = |added: bool| -> String {
            c.rationale
                .iter()
                .filter_map(|p| match p {
                    app::domain::changes::Piece::Same(t) => Some(t.as_str()),
                    app::domain::changes::Piece::Added(t) if added => Some(t.as_str()),
                    app::domain::changes::Piece::Removed(t) if !added => Some(t.as_str()),
                    _ => None,
                })
                .collect()
        };
        assert!(words(false).starts_with("Final"), "{:?}", c.rationale);
        assert!(words(true).starts_with("Better"), "{:?}", c.rationale);
        // The first attempt has nothing before it.
        let r = w.review("assessor", id).await;
        let first: ReviewView = serde_json::from_str(&r.body).expect("review view");
        assert!(first.earlier.is_empty() && first.changes.is_empty());
        let r = w.decide("assessor", id2, [3, 3, 2], "competent", "").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.status, Some(SubmissionStatus::Competent));
        assert!(!ws.editable);
        assert_eq!(ws.history.len(), 2);
        assert!(w.queue("assessor").await.items.is_empty());
        // The dashboard counts it.
        let r = w.get("teacher", "/api/dashboard").await;
        let d: serde_json::Value = serde_json::from_str(&r.body).expect("dashboard");
        let validated: u64 = d["domains"].as_array().expect("domains").iter()
            .map(|x| x["competencies_validated"].as_u64().unwrap_or(0)).sum();
        assert_eq!(validated, 1);
    }

    /// Issue 15, item 8: every kind of Markdown a teacher previews in the journal editor
    /// reaches the assessor's page exactly as previewed (one renderer, one sanitiser). The
    /// cases are each construct alone and each pair of constructs in one entry.
    async fn journal_markdown_reaches_the_assessor_as_previewed(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let constructs = [
            "# A heading\n\n## A smaller one",
            "*emphasis*, **strong**, ~~struck~~ and `code`",
            "- one\n- two\n  - nested\n\n1. first\n2. second",
            "| Pupil | Score |\n|---|---|\n| A | 3 |",
            "```\n<b>not bold</b> & \"quoted\"\n```",
            "[a link](https://example.org/a?b=1&c=2) and <https://example.org/auto>",
            "<script>alert(1)</script><img src=x onerror=alert(1)> raw <em>html</em>",
            "> a quote\n>\n> > nested",
            "line one  \nline two\\\nline three",
            "Accents: é, ß, 日本語 — and \\*escaped\\* stars",
            "[ ] not a task\n- [x] done\n- [ ] to do",
            "![an image](https://example.org/i.png \"title\")",
        ];
        let mut texts: Vec<String> = constructs.iter().map(|c| (*c).to_owned()).collect();
        for (i, a) in constructs.iter().enumerate() {
            let b = constructs[(i + 1) % constructs.len()];
            texts.push(format!("{a}\n{b}"));
            texts.push(format!("{a}\n\n{b}"));
        }
        let mut fields = vec![
            ("draft[framework]".to_owned(), "mcf".to_owned()),
            ("draft[competency]".to_owned(), COMPETENCY.to_owned()),
            ("draft[base_version]".to_owned(), "0".to_owned()),
            ("draft[intent]".to_owned(), "submit".to_owned()),
        ];
        for s in INDICATORS {
            fields.push((format!("draft[rationale][{s}]"), "Shown by the entries.".to_owned()));
        }
        let mut previews = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            let entry = w.entry("teacher", &format!("Entry {n}"), text).await;
            fields.push((format!("draft[pick][{}__j{entry}]", INDICATORS[n % INDICATORS.len()]), "on".to_owned()));
            let r = w.post("teacher", "/api/journal/preview", &[("text", text.clone())]).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let html: String = serde_json::from_str(&r.body).expect("preview JSON");
            assert!(!html.contains("<script") && !html.contains("onerror"), "{text:?} → {html}");
            previews.push((text.clone(), html));
        }
        let pairs: Vec<(&str, String)> = fields.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let r = w.post("teacher", "/api/submission/save", &pairs).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let id = w.queue("assessor").await.items[0].id;

        // What the assessor's page is drawn from, and the page itself.
        let r = w.review("assessor", id).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let view: ReviewView = serde_json::from_str(&r.body).expect("review view");
        let shown: Vec<(String, String)> = view
            .snapshot
            .indicators
            .iter()
            .flat_map(|i| &i.evidence)
            .filter(|e| e.kind == "journal")
            .map(|e| (e.text.clone(), e.html.clone()))
            .collect();
        assert_eq!(shown.len(), previews.len());
        let page = w.app.page_as(&format!("/assess/{id}"), w.cookie("assessor")).await;
        assert_eq!(page.status, 200);
        for (text, html) in &previews {
            let (_, got) = shown.iter().find(|(t, _)| t == text).unwrap_or_else(|| panic!("{text:?} not shown"));
            assert_eq!(got, html, "{text:?}");
            assert!(page.body.contains(html.as_str()), "the page draws {text:?} as {html}");
        }
    }

    async fn attempts_are_limited_and_a_coordinator_can_allow_another(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        // Only the cohort's coordinators change its settings, and only to sensible values.
        let settings = |who: &'static str, max: &'static str| {
            let w = &w;
            async move {
                w.post(who, "/api/cohorts/settings", &[("cohort_id", w.cohort.to_string()), ("max_attempts", max.into())]).await
            }
        };
        assert_eq!(settings("assessor", "1").await.status, 403);
        let r = settings("coordinator", "0").await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "max_attempts".to_owned()));
        assert_eq!(settings("coordinator", "1").await.status, 200);
        assert_eq!(w.audit_count("cohort.settings", &format!("cohort:{}", w.cohort)).await, 1);
        let r = w.get("coordinator", &format!("/api/cohorts/detail?cohort_id={}", w.cohort)).await;
        let detail: serde_json::Value = serde_json::from_str(&r.body).expect("detail");
        assert_eq!(detail["settings"]["max_attempts"], 1);
        assert_eq!(detail["settings"]["blind_review"], false);
        let (_, id) = w.submitted("teacher").await;
        w.claim("assessor", id).await;
        let r = w.decide("assessor", id, [1, 1, 1], "not_yet", "More evidence.").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.status, Some(SubmissionStatus::NotYet));
        assert!(!ws.editable);
        let r = w.save("teacher", ws.version, "autosave", "Again", None).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("coordinator can allow another"), "{}", r.body);
        // The coordinator sees who is at the limit and allows one more.
        let r = w.get("coordinator", &format!("/api/moderation?cohort={}", w.cohort)).await;
        let m: ModerationView = serde_json::from_str(&r.body).expect("moderation");
        assert_eq!(m.at_limit.len(), 1);
        assert_eq!(m.at_limit[0].user_id, w.id("teacher"));
        // Not a coordinator's right for an assessor; not for another cohort's teacher.
        let allow = |who: &'static str, cohort: i64| {
            let w = &w;
            async move {
                w.post(
                    who,
                    "/api/moderation/allow-attempt",
                    &[
                        ("cohort", cohort.to_string()),
                        ("user", w.id("teacher").to_string()),
                        ("competency", COMPETENCY.into()),
                        ("reason", "Illness during term".into()),
                    ],
                )
                .await
            }
        };
        assert_eq!(allow("assessor", w.cohort).await.status, 403);
        assert_eq!(allow("coordinator", w.other_cohort).await.status, 403);
        let r = allow("coordinator", w.cohort).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let ws = w.workspace("teacher").await;
        assert_eq!((ws.status, ws.attempt, ws.attempts_allowed), (Some(SubmissionStatus::Draft), 2, 2));
        assert_eq!(w.audit_count("submission.allow_attempt", &format!("user:{}", w.id("teacher"))).await, 1);
    }

    async fn claims_lapse_and_bind_the_decision(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (_, id) = w.submitted("teacher").await;
        assert_eq!(w.claim("assessor", id).await.status, 200);
        let q = w.queue("assessor2").await;
        assert!(matches!(&q.items[0].claim, ClaimState::Other { by, .. } if by == "Ada Assessor"));
        let r = w.claim("assessor2", id).await;
        assert_eq!(r.status, 422, "{}", r.body);
        let r = w.decide("assessor2", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 422, "held by someone else: {}", r.body);
        // Only the holder lets go; then anyone may take it.
        let release = |who: &'static str| {
            let w = &w;
            async move { w.post(who, "/api/review/release", &[("id", id.to_string())]).await }
        };
        assert_eq!(release("assessor2").await.status, 404);
        assert_eq!(release("assessor").await.status, 200);
        assert_eq!(w.queue("assessor2").await.items[0].claim, ClaimState::Open);
        assert_eq!(w.claim("assessor", id).await.status, 200);
        // The claim lapses: anyone eligible may take it, and the first holder may no longer decide.
        for table in ["UPDATE submissions SET claim_expires_at = $1 WHERE id = $2",
                      "UPDATE claims SET expires_at = $1 WHERE submission_id = $2 AND ended_at IS NULL"] {
            sqlx::query(table)
                .bind(app::db::now_ms() - 1)
                .bind(id)
                .execute(w.app.db.writer())
                .await
                .expect("lapse");
        }
        assert_eq!(w.queue("assessor2").await.items[0].claim, ClaimState::Open);
        assert_eq!(w.claim("assessor2", id).await.status, 200);
        let r = w.decide("assessor", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 422, "{}", r.body);
        // A coordinator assigns it back to the first assessor: now only they may take it.
        let r = w
            .post("coordinator", "/api/review/assign", &[("id", id.to_string()), ("assessor", w.id("assessor").to_string())])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = w
            .post("coordinator", "/api/review/assign", &[("id", id.to_string()), ("assessor", w.id("teacher").to_string())])
            .await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "assessor".to_owned()));
        assert!(matches!(w.queue("assessor2").await.items[0].claim, ClaimState::AssignedOther { .. }));
        assert_eq!(w.claim("assessor2", id).await.status, 422);
        let r = w.decide("assessor", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 200, "{}", r.body);
        // Every claim is kept with how it ended: released, lapsed (taken over after its time
        // ran out), withdrawn (the coordinator assigned the work to someone else).
        let ledger: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT assessor_id, outcome FROM claims WHERE submission_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(w.app.db.pool()).await.expect("claims");
        let (a, b) = (w.id("assessor"), w.id("assessor2"));
        assert_eq!(ledger, [
            (a, Some("released".to_owned())),
            (a, Some("lapsed".to_owned())),
            (b, Some("withdrawn".to_owned())),
        ]);
    }

    /// Notices by e-mail (issue 17): a submission to the assessors who may take it, a decision
    /// to its teacher (never the feedback's words), a lapsed claim to its holder once; the
    /// link in a notice turns them off without signing in, and the header offers one click.
    async fn work_is_announced_by_email_without_private_text(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        let outbox = |to: &'static str| async move {
            app::db::mail::to_recipient(db, to).await.expect("outbox")
        };
        let kinds = |rows: &[app::db::mail::Row]| -> Vec<&'static str> {
            rows.iter().map(|r| r.message.kind.as_str()).collect()
        };
        let (_, first) = w.submitted("teacher").await;
        // The cohort's assessors hear of it, including one who also teaches; not its teacher,
        // not another cohort's assessor.
        for to in ["assessor@a.test", "assessor2@a.test", "both@a.test"] {
            assert_eq!(kinds(&outbox(to).await), ["review.waiting"], "{to}");
        }
        for to in ["teacher@a.test", "outsider@a.test", "coordinator@a.test"] {
            assert!(outbox(to).await.is_empty(), "{to}");
        }
        let waiting = outbox("assessor2@a.test").await.remove(0).message;
        assert!(waiting.text.contains(&format!("/assess/{first}")), "{}", waiting.text);
        assert!(!waiting.text.contains("Tamsin"), "no teacher's name (reviews may be blind)");
        // Basil turns them off with one click (RFC 8058), from the header's URL.
        let one_click = waiting.unsubscribe.clone().expect("a List-Unsubscribe URL");
        let path = one_click.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned())).expect("path");
        assert!(path.starts_with("/mail/unsubscribe/"), "{path}");
        let token = path.trim_start_matches("/mail/unsubscribe/").to_owned();
        let request = axum::http::Request::post(&path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(axum::body::Body::from("List-Unsubscribe=One-Click"))
            .expect("request");
        let r = w.app.send(request).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = w.app.get(&format!("/mail/settings/{token}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("as•••@a.test. Reminders are off."), "{}", page.body);
        assert_eq!(w.app.get("/mail/settings/not-a-token").await.status, 404);
        let r = w.app.send(axum::http::Request::post("/mail/unsubscribe/not-a-token").body(axum::body::Body::empty()).expect("request")).await;
        assert_eq!(r.status, 404);

        let (_, second) = w.submitted("teacher2").await;
        assert_eq!(outbox("assessor@a.test").await.len(), 2);
        assert_eq!(outbox("assessor2@a.test").await.len(), 1, "Basil turned them off");

        // The decision reaches the teacher with a link, and none of the assessor's words.
        assert_eq!(w.claim("assessor", first).await.status, 200);
        let r = w.decide("assessor", first, [2, 2, 1], "not_yet", "Private improvement 8842").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let decision = outbox("teacher@a.test").await;
        assert_eq!(kinds(&decision), ["decision"]);
        let d = &decision[0].message;
        assert!(d.text.contains("was assessed: Not yet") && d.subject.contains("was assessed"), "{}", d.text);
        assert!(d.text.contains(&format!("/frameworks/mcf/competencies/{COMPETENCY}/evidence")), "{}", d.text);
        for private in ["Private improvement 8842", "Feedback from assessor", "Comment on", "think-pair-share"] {
            assert!(!d.text.contains(private) && !d.html.contains(private), "{private} in the e-mail");
        }
        assert!(d.unsubscribe.is_none(), "a decision always goes");

        // A claim that ran out is told to its holder once, by whichever sweep comes first.
        assert_eq!(w.claim("assessor", second).await.status, 200);
        let past = app::db::now_ms() - 1;
        for sql in ["UPDATE submissions SET claim_expires_at = $1 WHERE id = $2",
                    "UPDATE claims SET expires_at = $1 WHERE submission_id = $2 AND ended_at IS NULL"] {
            sqlx::query(sql).bind(past).bind(second).execute(db.writer()).await.expect("lapse");
        }
        let schedule = app::db::notify::sweep::Schedule { inactive_days: 0, baseline_days: 0, digest: false };
        let now = app::db::now_ms();
        let (a, b) = tokio::join!(
            app::db::notify::sweep::sweep(db, &schedule, now),
            app::db::notify::sweep::sweep(db, &schedule, now),
        );
        assert_eq!(a.expect("sweep").lapsed + b.expect("sweep").lapsed, 1, "once between two sweeps");
        assert_eq!(app::db::notify::sweep::sweep(db, &schedule, now).await.expect("sweep").lapsed, 0);
        let lapsed = outbox("assessor@a.test").await;
        assert_eq!(kinds(&lapsed), ["review.waiting", "review.waiting", "claim.lapsed"]);
        assert!(lapsed[2].message.text.contains(&format!("/assess/{second}")));

        // Through a real SMTP server: the notices carry List-Unsubscribe, the decision does not.
        let smtp = common::SmtpServer::start();
        let sender = server::mail::Sender::new(&server::config::MailDelivery::Smtp(smtp.url()), "MCF <no-reply@a.test>").expect("sender");
        sender.deliver_due(db).await.expect("deliver");
        let got = smtp.messages();
        let to = |addr: &str, subject: &str| got.iter().find(|m| m.contains(&format!("To: {addr}")) && m.contains(subject)).cloned().unwrap_or_else(|| panic!("{addr}: {subject}"));
        let notice = to("assessor@a.test", "lapsed");
        assert!(notice.contains("List-Unsubscribe: <http") && notice.contains("/mail/unsubscribe/"), "{notice}");
        assert!(notice.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{notice}");
        let decided = to("teacher@a.test", "was assessed");
        assert!(!decided.contains("List-Unsubscribe"), "{decided}");
    }

    async fn blind_review_hides_identity_in_every_response(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let r = w
            .post(
                "coordinator",
                "/api/cohorts/settings",
                &[("cohort_id", w.cohort.to_string()), ("max_attempts", "3".into()), ("blind_review", "on".into())],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let (_, id) = w.submitted("teacher").await;
        let secrets = ["Tamsin", "teacher@a.test"];
        let mut bodies = vec![
            w.get("assessor", "/api/review/queue?competency=").await.body,
            w.review("assessor", id).await.body,
            w.get("assessor", "/api/notifications").await.body,
            w.app.page_as("/assess", w.cookie("assessor")).await.body,
            w.app.page_as(&format!("/assess/{id}"), w.cookie("assessor")).await.body,
        ];
        w.claim("assessor", id).await;
        bodies.push(w.decide("assessor", id, [3, 3, 3], "competent", "").await.body);
        bodies.push(w.review("assessor", id).await.body);
        bodies.push(w.app.page_as(&format!("/assess/{id}"), w.cookie("assessor")).await.body);
        for body in &bodies {
            assert!(body.len() > 2);
            for s in secrets {
                assert!(!body.contains(s), "{s} leaked in {body}");
            }
        }
        // The page still shows the work itself.
        assert!(bodies[4].contains("think-pair-share"), "the evidence is on the review page");
    }

    async fn nobody_assesses_their_own_work_or_another_cohorts(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (_, own) = w.submitted("both").await;
        assert!(w.queue("both").await.items.is_empty(), "own work is not in the queue");
        assert_eq!(w.review("both", own).await.status, 404);
        assert_eq!(w.claim("both", own).await.status, 404);
        assert_eq!(w.decide("both", own, [3, 3, 3], "competent", "").await.status, 404);
        // Another cohort's assessor: as if it did not exist.
        assert!(w.queue("outsider").await.items.is_empty());
        assert_eq!(w.review("outsider", own).await.status, 404);
        assert_eq!(w.claim("outsider", own).await.status, 404);
        assert_eq!(w.decide("outsider", own, [3, 3, 3], "competent", "").await.status, 404);
        // A teacher has no queue at all, and cannot see another's submission.
        assert_eq!(w.get("teacher2", "/api/review/queue?competency=").await.status, 403);
        assert_eq!(w.review("teacher2", own).await.status, 403);
        // Someone else may.
        assert_eq!(w.claim("assessor", own).await.status, 200);
        let r = w.decide("assessor", own, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    async fn a_decision_and_its_audit_row_commit_together(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (_, id) = w.submitted("teacher").await;
        w.claim("assessor", id).await;
        // Make the audit insert fail: the decision must not be kept either.
        sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_away")
            .execute(w.app.db.writer())
            .await
            .expect("rename");
        let r = w.decide("assessor", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 500);
        assert!(!r.body.to_lowercase().contains("audit_log"), "no internals: {}", r.body);
        sqlx::query("ALTER TABLE audit_log_away RENAME TO audit_log")
            .execute(w.app.db.writer())
            .await
            .expect("rename back");
        let status: String = sqlx::query_scalar("SELECT status FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_one(w.app.db.pool())
            .await
            .expect("status");
        assert_eq!(status, "submitted");
        let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE submission_id = $1")
            .bind(id)
            .fetch_one(w.app.db.pool())
            .await
            .expect("reviews");
        assert_eq!(reviews, 0);
        // With the log back, the same decision goes through with exactly one audit row.
        let r = w.decide("assessor", id, [3, 3, 3], "competent", "").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'submission.decide' AND subject = $1",
        )
        .bind(format!("submission:{id}"))
        .fetch_one(w.app.db.pool())
        .await
        .expect("one audit row");
        assert!(detail.contains("\"decision\":\"competent\""), "{detail}");
        let actor: Option<i64> = sqlx::query_scalar(
            "SELECT actor_id FROM audit_log WHERE action = 'submission.decide' AND subject = $1",
        )
        .bind(format!("submission:{id}"))
        .fetch_one(w.app.db.pool())
        .await
        .expect("actor");
        assert_eq!(actor, Some(w.id("assessor")));
    }

    async fn moderation_second_marks_blind_to_the_first_decision(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (_, one) = w.submitted("teacher").await;
        let (_, two) = w.submitted("teacher2").await;
        for id in [one, two] {
            w.claim("assessor", id).await;
        }
        assert_eq!(w.decide("assessor", one, [3, 3, 2], "competent", "").await.status, 200);
        assert_eq!(w.decide("assessor", two, [2, 1, 1], "not_yet", "Add evidence.").await.status, 200);
        // Only coordinators sample.
        let sample = |who: &'static str| {
            let w = &w;
            async move {
                w.post(who, "/api/moderation/sample", &[("cohort", w.cohort.to_string()), ("percent", "100".into())]).await
            }
        };
        assert_eq!(sample("assessor").await.status, 403);
        let r = w.post("coordinator", "/api/moderation/sample", &[("cohort", w.cohort.to_string()), ("percent", "0".into())]).await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "percent".to_owned()));
        let r = sample("coordinator").await;
        assert_eq!((r.status.as_u16(), r.body.trim()), (200, "2"));
        assert_eq!(w.audit_count("moderation.sample", &format!("cohort:{}", w.cohort)).await, 1);
        // The first assessor does not second-mark their own decisions.
        assert!(w.queue("assessor").await.items.iter().all(|i| !i.second));
        let q = w.queue("assessor2").await;
        assert_eq!(q.items.iter().filter(|i| i.second).count(), 2);
        // The second marker does not see the first decision or feedback.
        let r = w.review("assessor2", one).await;
        assert!(!r.body.contains("Feedback from assessor"), "{}", r.body);
        let view: ReviewView = serde_json::from_str(&r.body).expect("view");
        assert!(view.second && view.decided.is_none() && view.can_decide);
        assert!(!w.app.page_as(&format!("/assess/{one}"), w.cookie("assessor2")).await.body.contains("Feedback from assessor"));
        // Second marking: agrees on `two`, disagrees on `one`.
        w.claim("assessor2", one).await;
        assert_eq!(w.decide("assessor2", one, [2, 2, 2], "not_yet", "Thin evidence.").await.status, 200);
        w.claim("assessor2", two).await;
        assert_eq!(w.decide("assessor2", two, [2, 1, 2], "not_yet", "Add evidence.").await.status, 200);
        // Second marking changed nothing for the teacher.
        assert_eq!(w.workspace("teacher").await.status, Some(SubmissionStatus::Competent));
        assert_eq!(w.notifications("coordinator").await.moderations_to_resolve, 1);
        let r = w.get("coordinator", &format!("/api/moderation?cohort={}", w.cohort)).await;
        let m: ModerationView = serde_json::from_str(&r.body).expect("moderation");
        assert_eq!(m.items.len(), 2);
        assert_eq!(m.pairs.len(), 1);
        let pair = &m.pairs[0];
        assert_eq!((pair.first.as_str(), pair.second.as_str()), ("Ada Assessor", "Basil Marker"));
        assert_eq!((pair.submissions, pair.decisions_agreed), (2, 1));
        // Paired levels: (3,2) (3,2) (2,2) | (2,2) (1,1) (1,2) → 3 of 6 agree.
        // First marker: 3×2, 2×2, 1×2 → 2/6 each; second: 2×5, 1×1.
        // p_e = (2/6)(0) + (2/6)(5/6) + (2/6)(1/6) = 12/36 = 1/3; κ = (1/2 − 1/3)/(2/3) = 0.25.
        let a = pair.agreement.expect("agreement");
        assert_eq!(a.pairs, 6);
        assert!((a.percent - 0.5).abs() < 1e-9, "{}", a.percent);
        assert!((a.kappa.expect("kappa") - 0.25).abs() < 1e-9, "{:?}", a.kappa);
        // The coordinator resolves the disagreement: the second decision stands.
        let item = m.items.iter().find(|i| i.submission_id == one).expect("item");
        let r = w.post("assessor", "/api/moderation/resolve", &[("id", item.id.to_string()), ("stands", "second".into()), ("note", "x".into())]).await;
        assert_eq!(r.status, 404, "not a coordinator: {}", r.body);
        let r = w.post("coordinator", "/api/moderation/resolve", &[("id", item.id.to_string()), ("stands", "second".into()), ("note", "".into())]).await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "note".to_owned()));
        let r = w.post("coordinator", "/api/moderation/resolve", &[("id", item.id.to_string()), ("stands", "second".into()), ("note", "Agreed at the moderation meeting.".into())]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(w.audit_count("moderation.resolve", &format!("submission:{one}")).await, 1);
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.history[1].status, SubmissionStatus::NotYet);
        assert_eq!(ws.status, Some(SubmissionStatus::Draft), "a next attempt opened");
        let standing = ws.history[1].decision.clone().expect("decision");
        assert_eq!(standing.improve, "Thin evidence.");
        // Resolved once only.
        let r = w.post("coordinator", "/api/moderation/resolve", &[("id", item.id.to_string()), ("stands", "first".into()), ("note", "Again".into())]).await;
        assert_eq!(r.status, 422, "{}", r.body);
    }

    async fn uploads_are_sniffed_limited_and_private(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let png: Vec<u8> = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], &[7u8; 100][..]].concat();
        let upload = |who: &'static str, name: &'static str, bytes: Vec<u8>| {
            let w = &w;
            async move {
                let boundary = "XbOuNdArYx";
                let mut body = Vec::new();
                body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
                body.extend_from_slice(&bytes);
                body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                let request = axum::http::Request::post("/api/uploads")
                    .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                    .header("accept", "application/json")
                    .header("cookie", w.cookie(who))
                    .body(axum::body::Body::from(body))
                    .expect("request");
                w.app.send(request).await
            }
        };
        let r = upload("teacher", "../plan.png", png.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        let id = v["id"].as_i64().expect("id");
        assert_eq!(v["file_name"], "plan.png");
        // The same bytes again are stored once.
        let r = upload("teacher2", "copy.png", png.clone()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let blobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM upload_blobs").fetch_one(w.app.db.pool()).await.expect("count");
        assert_eq!(blobs, 1);
        // A GIF named .png, a script, an oversized file: refused, naming the field.
        let r = upload("teacher", "fake.png", b"GIF89a......".to_vec()).await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (422, "file".to_owned()));
        assert!(r.body.contains("PDF, PNG or JPEG"), "{}", r.body);
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(app::domain::assessment::UPLOAD_MAX_BYTES + 10, b'x');
        let r = upload("teacher", "big.pdf", big).await;
        assert_eq!((r.status.as_u16(), field_of(&r)), (413, "file".to_owned()));
        assert!(r.body.contains("10 MB"), "{}", r.body);
        let signed_out = w.app.send(
            axum::http::Request::post("/api/uploads")
                .header("content-type", "multipart/form-data; boundary=x")
                .header("accept", "application/json")
                .body(axum::body::Body::from("--x--\r\n"))
                .expect("request"),
        ).await;
        assert_eq!(signed_out.status, 401);

        // The owner downloads it: as an attachment, never sniffed.
        let r = w.get("teacher", &format!("/uploads/{id}")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-type"], "image/png");
        assert!(r.headers["content-disposition"].to_str().expect("ascii").starts_with("attachment; filename=\"plan.png\""));
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        // Nobody else, until a submission offers it; then its cohort's assessors only.
        assert_eq!(w.get("assessor", &format!("/uploads/{id}")).await.status, 404);
        assert_eq!(w.app.api_get(&format!("/uploads/{id}")).await.status, 401);
        let ws = w.workspace("teacher").await;
        assert_eq!(ws.uploads.len(), 1);
        let mut fields = vec![
            ("draft[framework]", "mcf".to_owned()),
            ("draft[competency]", COMPETENCY.to_owned()),
            ("draft[base_version]", "0".to_owned()),
            ("draft[intent]", "submit".to_owned()),
        ];
        let keys: Vec<String> = INDICATORS.iter().map(|s| format!("draft[rationale][{s}]")).collect();
        for k in &keys {
            fields.push((k.as_str(), "Why".to_owned()));
        }
        let pick = format!("draft[pick][{}__u{id}]", INDICATORS[2]);
        fields.push((pick.as_str(), "on".to_owned()));
        let r = w.post("teacher", "/api/submission/save", &fields).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let sub: i64 = sqlx::query_scalar("SELECT id FROM submissions WHERE user_id = $1").bind(w.id("teacher")).fetch_one(w.app.db.pool()).await.expect("sub");
        let view: ReviewView = serde_json::from_str(&w.review("assessor", sub).await.body).expect("view");
        assert_eq!(view.snapshot.indicators[2].evidence[0].upload_id, Some(id));
        assert_eq!(w.get("assessor", &format!("/uploads/{id}")).await.status, 200);
        assert_eq!(w.get("coordinator", &format!("/uploads/{id}")).await.status, 200);
        assert_eq!(w.get("outsider", &format!("/uploads/{id}")).await.status, 404);
        assert_eq!(w.get("teacher2", &format!("/uploads/{id}")).await.status, 404);
        // Another person's upload cannot be offered: the pick is dropped.
        let stolen = format!("draft[pick][{}__u{id}]", INDICATORS[0]);
        let r = w
            .post(
                "teacher2",
                "/api/submission/save",
                &[
                    ("draft[framework]", "mcf".to_owned()),
                    ("draft[competency]", COMPETENCY.to_owned()),
                    ("draft[base_version]", "0".to_owned()),
                    ("draft[intent]", "autosave".to_owned()),
                    (stolen.as_str(), "on".to_owned()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(w.workspace("teacher2").await.indicators[0].uploads.is_empty());
    }
}
