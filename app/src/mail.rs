//! The e-mails the service sends (server only): each in plain text and HTML, written from
//! what the server knows (never from text a person typed beyond their name), and never carrying
//! journal or evidence text. Queued with [`crate::db::mail::enqueue`].

use crate::markdown::escape;

/// What a message is for (stored in the outbox, shown in the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A sign-up through an invitation: the link to confirm the address and choose a password.
    SignUpConfirm,
    /// A sign-up through an invitation for an address that already has an account: how to join
    /// with that account instead.
    SignUpExisting,
}

impl Kind {
    /// Every kind, for tests and tables.
    pub const ALL: [Kind; 2] = [Kind::SignUpConfirm, Kind::SignUpExisting];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUpConfirm => "sign_up.confirm",
            Self::SignUpExisting => "sign_up.existing",
        }
    }

    /// The kind a stored name names.
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == stored)
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
}

/// A paragraph of the message: plain text, or a link with the text before it.
enum Part<'a> {
    Text(String),
    Link(&'a str, &'a str),
}

fn compose(kind: Kind, recipient: &str, subject: String, parts: &[Part<'_>]) -> Message {
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
                text.push_str(&format!("{label}:\n{url}\n\n"));
                html.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(url),
                    escape(label)
                ));
            }
        }
    }
    text.push_str("-- \nMentoring micro-credential\n");
    html.push_str("<p style=\"color: #555\">Mentoring micro-credential</p></body></html>");
    Message {
        kind,
        recipient: recipient.to_owned(),
        subject,
        text,
        html,
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
        format!("Finish joining {cohort}"),
        &[
            Part::Text(format!("Hello {name},")),
            Part::Text(format!(
                "You asked to join {cohort} as {role} with this address. Open the link below to choose your password; it works once, for {valid_hours} hours."
            )),
            Part::Link("Choose your password and join", link),
            Part::Text("If you did not ask for this, ignore this message: no account is made without it.".to_owned()),
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
        format!("Joining {cohort} with your account"),
        &[
            Part::Text("Hello,".to_owned()),
            Part::Text(format!(
                "Someone, probably you, asked to join {cohort} as {role} with this address. It already has an account, so no new one was made."
            )),
            Part::Text("To join with your account, sign in, then open the invitation again:".to_owned()),
            Part::Link("Sign in", sign_in_link),
            Part::Link("The invitation", invitation_link),
            Part::Text("If you have forgotten your password, ask your programme coordinator for a reset link. If you did not ask to join, ignore this message.".to_owned()),
        ],
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
}
