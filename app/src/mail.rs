//! The e-mails the service sends (server only): each in plain text and HTML, written from
//! what the server knows (never from text a person typed beyond their name), and never carrying
//! journal or evidence text. Queued with [`crate::db::mail::enqueue`].

use crate::markdown::escape;
use crate::t;

/// What a message is for (stored in the outbox, shown in the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A sign-up through an invitation: the link to confirm the address and choose a password.
    SignUpConfirm,
    /// A sign-up through an invitation for an address that already has an account: how to join
    /// with that account instead.
    SignUpExisting,
    /// A personal invitation from a coordinator: the link to choose a name and password.
    Invitation,
    /// A personal invitation to an address that has an account: sign in, then accept.
    InvitationExisting,
    /// A password-reset link.
    PasswordReset,
    /// To a teacher: their evidence was assessed (the decision, never the feedback's text).
    Decision,
    /// To an assessor: a submission waits for review.
    ReviewWaiting,
    /// To an assessor: their claim on a submission ran out before a decision.
    ClaimLapsed,
    /// To a teacher: no activity for a while.
    ReminderInactive,
    /// To a teacher: the baseline is not done a week after joining.
    ReminderBaseline,
    /// To a coordinator: a submission waits beyond the cohort's turnaround target.
    ReminderOverdue,
    /// To a coordinator: the week in their cohorts.
    Digest,
}

impl Kind {
    /// Every kind, for tests and tables.
    pub const ALL: [Kind; 12] = [
        Kind::SignUpConfirm,
        Kind::SignUpExisting,
        Kind::Invitation,
        Kind::InvitationExisting,
        Kind::PasswordReset,
        Kind::Decision,
        Kind::ReviewWaiting,
        Kind::ClaimLapsed,
        Kind::ReminderInactive,
        Kind::ReminderBaseline,
        Kind::ReminderOverdue,
        Kind::Digest,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUpConfirm => "sign_up.confirm",
            Self::SignUpExisting => "sign_up.existing",
            Self::Invitation => "invitation",
            Self::InvitationExisting => "invitation.existing",
            Self::PasswordReset => "password.reset",
            Self::Decision => "decision",
            Self::ReviewWaiting => "review.waiting",
            Self::ClaimLapsed => "claim.lapsed",
            Self::ReminderInactive => "reminder.inactive",
            Self::ReminderBaseline => "reminder.baseline",
            Self::ReminderOverdue => "reminder.overdue",
            Self::Digest => "digest.weekly",
        }
    }

    /// The kind a stored name names.
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == stored)
    }

    /// A reminder, a notice of waiting work or a digest: the kinds a person can turn off (and
    /// that carry the link to do so, and a `List-Unsubscribe` header). Account messages and
    /// decisions on one's own work always go.
    pub fn can_be_turned_off(self) -> bool {
        matches!(
            self,
            Self::ReviewWaiting
                | Self::ClaimLapsed
                | Self::ReminderInactive
                | Self::ReminderBaseline
                | Self::ReminderOverdue
                | Self::Digest
        )
    }
}

/// One e-mail to one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// What it is for.
    pub kind: Kind,
    /// The address it goes to.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text body (what every mail client can show).
    pub text: String,
    /// The same content as HTML.
    pub html: String,
    /// The page that turns this person's reminders off without signing in (RFC 8058 one-click
    /// POST target, and the `List-Unsubscribe` header's URL), for the kinds that
    /// [`Kind::can_be_turned_off`].
    pub unsubscribe: Option<String>,
}

/// A paragraph of the message: plain text, or a link with the text before it.
enum Part<'a> {
    Text(String),
    Link(&'a str, &'a str),
}

fn compose(kind: Kind, recipient: &str, subject: String, parts: &[Part<'_>]) -> Message {
    compose_with(kind, recipient, subject, parts, None)
}

/// [`compose`], ending with the link that turns reminders off when there is one.
fn compose_with(
    kind: Kind,
    recipient: &str,
    subject: String,
    parts: &[Part<'_>],
    unsubscribe: Option<&str>,
) -> Message {
    let mut text = String::new();
    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">",
    );
    for part in parts {
        match part {
            Part::Text(t) => {
                text.push_str(t);
                text.push_str("\n\n");
                html.push_str(&format!("<p>{}</p>", escape(t)));
            }
            Part::Link(label, url) => {
                text.push_str(&crate::i18n::k::mail::link_label(label));
                text.push_str(&format!("\n{url}\n\n"));
                html.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(url),
                    escape(label)
                ));
            }
        }
    }
    text.push_str("-- \n");
    text.push_str(t!(mail.signature));
    text.push('\n');
    html.push_str("<p style=\"color: #555\">");
    html.push_str(&escape(t!(mail.signature)));
    if let Some(url) = unsubscribe {
        text.push_str(&format!(
            "{} {}\n{url}\n",
            t!(mail.reminders_on),
            t!(mail.reminders_off_text)
        ));
        html.push_str(&format!(
            "<br>{} <a href=\"{}\">{}</a>{}",
            escape(t!(mail.reminders_on)),
            escape(url),
            escape(t!(mail.reminders_off_link)),
            escape(t!(mail.reminders_off_after))
        ));
    }
    html.push_str("</p></body></html>");
    Message {
        kind,
        recipient: recipient.to_owned(),
        subject,
        text,
        html,
        unsubscribe: unsubscribe.map(str::to_owned),
    }
}

/// The message that confirms a sign-up: `link` leads to choosing a password, valid for
/// `valid_hours`.
pub fn sign_up_confirm(
    recipient: &str,
    name: &str,
    cohort: &str,
    role: &str,
    link: &str,
    valid_hours: i64,
) -> Message {
    compose(
        Kind::SignUpConfirm,
        recipient,
        crate::i18n::k::mail::sign_up_confirm_subject(cohort),
        &[
            Part::Text(crate::i18n::k::mail::hello_name(name)),
            Part::Text(crate::i18n::k::mail::sign_up_confirm_body(
                cohort,
                role,
                valid_hours,
            )),
            Part::Link(t!(mail.sign_up_confirm_link), link),
            Part::Text(t!(mail.sign_up_confirm_ignore).to_owned()),
        ],
    )
}

/// The message sent instead when the address already has an account: sign in with it, then
/// open the invitation again (`invitation_link`), or reset the password from `sign_in_link`.
pub fn sign_up_existing(
    recipient: &str,
    cohort: &str,
    role: &str,
    invitation_link: &str,
    sign_in_link: &str,
) -> Message {
    compose(
        Kind::SignUpExisting,
        recipient,
        crate::i18n::k::mail::sign_up_existing_subject(cohort),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::sign_up_existing_body(cohort, role)),
            Part::Text(t!(mail.sign_up_existing_how).to_owned()),
            Part::Link(t!(mail.sign_in_link), sign_in_link),
            Part::Link(t!(mail.invitation_link), invitation_link),
            Part::Text(t!(mail.sign_up_existing_forgotten).to_owned()),
        ],
    )
}

/// A personal invitation: `link` leads to choosing a name and password (valid `valid_days`).
pub fn invitation(
    recipient: &str,
    cohort: &str,
    role: &str,
    inviter: &str,
    link: &str,
    valid_days: i64,
) -> Message {
    compose(
        Kind::Invitation,
        recipient,
        crate::i18n::k::mail::invitation_subject(cohort),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::invitation_body(
                inviter, cohort, role, valid_days,
            )),
            Part::Link(t!(mail.invitation_join_link), link),
            Part::Text(t!(mail.invitation_ignore).to_owned()),
        ],
    )
}

/// A personal invitation to an address that already has an account.
pub fn invitation_existing(
    recipient: &str,
    cohort: &str,
    role: &str,
    inviter: &str,
    invitation_link: &str,
) -> Message {
    compose(
        Kind::InvitationExisting,
        recipient,
        crate::i18n::k::mail::invitation_subject(cohort),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::invitation_existing_body(
                inviter, cohort, role,
            )),
            Part::Link(t!(mail.invitation_link), invitation_link),
        ],
    )
}

/// A password-reset link, valid `valid_hours`, issued by a coordinator (`by`) or asked for by
/// the person (`None`).
pub fn password_reset(
    recipient: &str,
    name: &str,
    link: &str,
    valid_hours: i64,
    by: Option<&str>,
) -> Message {
    let why = match by {
        Some(by) => crate::i18n::k::mail::reset_by_coordinator(by, valid_hours),
        None => crate::i18n::k::mail::reset_by_self(valid_hours),
    };
    compose(
        Kind::PasswordReset,
        recipient,
        t!(mail.reset_subject).to_owned(),
        &[
            Part::Text(crate::i18n::k::mail::hello_name(name)),
            Part::Text(why),
            Part::Link(t!(mail.reset_link), link),
            Part::Text(t!(mail.reset_ignore).to_owned()),
        ],
    )
}

/// To a teacher: their evidence for `competency` was assessed. Says the decision only; the
/// feedback is read on the page behind `link`.
pub fn decision(
    recipient: &str,
    name: &str,
    competency: &str,
    competent: bool,
    link: &str,
) -> Message {
    let outcome = if competent {
        crate::i18n::k::mail::decision_competent(competency)
    } else {
        crate::i18n::k::mail::decision_not_yet(competency)
    };
    compose(
        Kind::Decision,
        recipient,
        crate::i18n::k::mail::decision_subject(competency),
        &[
            Part::Text(crate::i18n::k::mail::hello_name(name)),
            Part::Text(outcome),
            Part::Link(t!(mail.decision_link), link),
        ],
    )
}

/// To an assessor: a submission waits in `cohort` (no teacher's name: reviews may be blind).
pub fn review_waiting(
    recipient: &str,
    competency: &str,
    cohort: &str,
    link: &str,
    unsubscribe: &str,
) -> Message {
    compose_with(
        Kind::ReviewWaiting,
        recipient,
        crate::i18n::k::mail::review_waiting_subject(cohort),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::review_waiting_body(
                competency, cohort,
            )),
            Part::Link(t!(mail.open_it), link),
        ],
        Some(unsubscribe),
    )
}

/// To an assessor: their claim on a submission ran out before they decided.
pub fn claim_lapsed(
    recipient: &str,
    competency: &str,
    cohort: &str,
    link: &str,
    unsubscribe: &str,
) -> Message {
    compose_with(
        Kind::ClaimLapsed,
        recipient,
        crate::i18n::k::mail::claim_lapsed_subject(competency),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::claim_lapsed_body(competency, cohort)),
            Part::Link(t!(mail.open_it), link),
        ],
        Some(unsubscribe),
    )
}

/// To a teacher with no activity for `days` days.
pub fn reminder_inactive(
    recipient: &str,
    name: &str,
    days: i64,
    link: &str,
    unsubscribe: &str,
) -> Message {
    compose_with(
        Kind::ReminderInactive,
        recipient,
        t!(mail.reminder_inactive_subject).to_owned(),
        &[
            Part::Text(crate::i18n::k::mail::hello_name(name)),
            Part::Text(crate::i18n::k::mail::reminder_inactive_body(days)),
            Part::Link(t!(mail.reminder_inactive_link), link),
        ],
        Some(unsubscribe),
    )
}

/// To a teacher whose baseline self-assessment is not done a week after joining.
pub fn reminder_baseline(recipient: &str, name: &str, link: &str, unsubscribe: &str) -> Message {
    compose_with(
        Kind::ReminderBaseline,
        recipient,
        t!(mail.reminder_baseline_subject).to_owned(),
        &[
            Part::Text(crate::i18n::k::mail::hello_name(name)),
            Part::Text(t!(mail.reminder_baseline_body).to_owned()),
            Part::Link(t!(mail.reminder_baseline_link), link),
        ],
        Some(unsubscribe),
    )
}

/// To a coordinator: a submission has waited `days` business days, beyond `target`.
pub fn reminder_overdue(
    recipient: &str,
    competency: &str,
    cohort: &str,
    days: i64,
    target: i64,
    link: &str,
    unsubscribe: &str,
) -> Message {
    compose_with(
        Kind::ReminderOverdue,
        recipient,
        crate::i18n::k::mail::reminder_overdue_subject(cohort),
        &[
            Part::Text(t!(mail.hello).to_owned()),
            Part::Text(crate::i18n::k::mail::reminder_overdue_body(
                competency, cohort, days, target,
            )),
            Part::Link(t!(mail.reminder_overdue_link), link),
        ],
        Some(unsubscribe),
    )
}

/// One cohort's week, for the digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestLine {
    pub cohort: String,
    pub joined: i64,
    pub submitted: i64,
    pub decided: i64,
    pub waiting: i64,
    pub overdue: i64,
}

/// To a coordinator: the past week in each of their cohorts.
pub fn digest(recipient: &str, lines: &[DigestLine], link: &str, unsubscribe: &str) -> Message {
    let mut parts = vec![
        Part::Text(t!(mail.hello).to_owned()),
        Part::Text(t!(mail.digest_intro).to_owned()),
    ];
    for l in lines {
        parts.push(Part::Text(crate::i18n::k::mail::digest_line(
            &l.cohort,
            l.joined,
            l.submitted,
            l.decided,
            l.waiting,
            l.overdue,
        )));
    }
    parts.push(Part::Link(t!(mail.digest_link), link));
    compose_with(
        Kind::Digest,
        recipient,
        t!(mail.digest_subject).to_owned(),
        &parts,
        Some(unsubscribe),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("nonsense"), None);
    }

    #[test]
    fn both_bodies_carry_the_link_and_html_escapes_what_a_person_typed() {
        let m = sign_up_confirm(
            "a@b.org",
            "Ana <b>&</b>",
            "Cohort \"A\"",
            "a teacher",
            "https://x.org/sign-up/abc?x=1&y=2",
            24,
        );
        assert!(m.text.contains("https://x.org/sign-up/abc?x=1&y=2"));
        assert!(m.text.contains("Hello Ana <b>&</b>,"));
        assert!(m
            .html
            .contains("href=\"https://x.org/sign-up/abc?x=1&amp;y=2\""));
        assert!(m.html.contains("Ana &lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(!m.html.contains("<b>"));
        let e = sign_up_existing(
            "a@b.org",
            "C",
            "a teacher",
            "https://x/join/t",
            "https://x/sign-in",
        );
        assert!(e.text.contains("https://x/join/t") && e.html.contains("https://x/sign-in"));
    }

    /// Every message a person can turn off carries the link to do so, in both bodies; no
    /// other does.
    #[test]
    fn reminders_and_only_reminders_carry_the_turn_off_link() {
        let off = "https://x.org/mail/settings/tok";
        let line = DigestLine {
            cohort: "C".into(),
            joined: 1,
            submitted: 2,
            decided: 3,
            waiting: 4,
            overdue: 5,
        };
        let all = [
            sign_up_confirm("a@b.org", "A", "C", "a teacher", "https://x/l", 24),
            sign_up_existing("a@b.org", "C", "a teacher", "https://x/j", "https://x/s"),
            invitation("a@b.org", "C", "a teacher", "Cora", "https://x/l", 14),
            invitation_existing("a@b.org", "C", "a teacher", "Cora", "https://x/j"),
            password_reset("a@b.org", "A", "https://x/r", 24, None),
            decision("a@b.org", "A", "Communication", true, "https://x/e"),
            review_waiting("a@b.org", "Communication", "C", "https://x/a", off),
            claim_lapsed("a@b.org", "Communication", "C", "https://x/a", off),
            reminder_inactive("a@b.org", "A", 14, "https://x/d", off),
            reminder_baseline("a@b.org", "A", "https://x/d", off),
            reminder_overdue("a@b.org", "Communication", "C", 12, 10, "https://x/c", off),
            digest("a@b.org", &[line], "https://x/c", off),
        ];
        let kinds: Vec<Kind> = all.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, Kind::ALL, "one composer per kind, in order");
        for m in &all {
            let carries = m.text.contains(off) && m.html.contains(off);
            assert_eq!(carries, m.kind.can_be_turned_off(), "{:?}", m.kind);
            assert_eq!(
                m.unsubscribe.is_some(),
                m.kind.can_be_turned_off(),
                "{:?}",
                m.kind
            );
            assert!(m.html.starts_with("<!DOCTYPE html>") && m.html.ends_with("</html>"));
            assert!(!m.subject.is_empty() && !m.subject.contains('\n'));
        }
    }
}
