//! Form pieces: labelled fields that show their error beside them, for both the hydrated app
//! (errors from the action's answer) and plain form posts with JavaScript off (errors from the
//! `?error=FIELD&message=TEXT` the server redirects back with).

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The inner HTML of a `<textarea>` holding `text` exactly. The renderer (tachys 0.2) writes a
/// textarea's children unescaped, so `</textarea>` in the text ended the element and `&amp;`
/// came back as `&`; every textarea with initial text therefore sets
/// `inner_html=textarea_html(&text)` (escaped, for the server-rendered page and forms posted
/// without JavaScript) and `prop:defaultValue=text` (the exact text, after hydration or on a
/// client-side render). The HTML parser drops one newline right after `<textarea>`, so a text
/// starting with a line break gets one more.
pub fn textarea_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    if text.starts_with(['\n', '\r']) {
        out.push('\n');
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A message about one field (`form` for the form as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMessage {
    /// The field's `name`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldMessage {
    /// The message for `field`, as a sentence: the server's messages are written to follow a
    /// field's name ("must not be empty"); shown on their own, they start with a capital.
    /// Several problems at once ([`AppError::invalid_all`]) are capitalised one by one.
    pub fn new(field: impl Into<String>, message: &str) -> Self {
        Self {
            field: field.into(),
            message: message
                .split('\n')
                .map(sentence)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// Each field named and its message, in order: one pair, or several when the server
    /// reported everything at once ([`AppError::invalid_all`]). A message missing for a field
    /// is the last one given.
    pub fn problems(&self) -> Vec<(&str, &str)> {
        let messages: Vec<&str> = self.message.split('\n').collect();
        self.field
            .split(' ')
            .filter(|f| !f.is_empty())
            .enumerate()
            .map(|(i, f)| (f, *messages.get(i).or(messages.last()).unwrap_or(&"")))
            .collect()
    }

    /// The message about the field `name`, if this names it.
    pub fn about(&self, name: &str) -> Option<String> {
        self.problems()
            .into_iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.to_owned())
    }

    /// What a form shows for `e`.
    pub fn from_error(e: &AppError) -> Self {
        match e {
            AppError::Invalid { field, message } => Self::new(field.clone(), message),
            other => Self::new("form", &other.to_string()),
        }
    }
}

/// `text` with its first letter in upper case (Unicode-aware; the rest unchanged).
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The error to show for a form: the action's latest answer once it has one, otherwise what the
/// server left for a refused plain form post ([`crate::flash`]; never text from the URL).
pub fn use_form_error<O>(action: ServerAction<O>) -> Signal<Option<FieldMessage>>
where
    O: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    O::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    let value = action.value();
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(FieldMessage::from_error(&e)),
        Some(Ok(_)) => None,
        // A plain form post that was refused: the message the server left for this page.
        None => crate::flash::current(query.read().get("flash"))
            .filter(|m| m.field != "reset_link")
            .map(|m| FieldMessage::new(m.field, &m.message)),
    })
}

/// What a refused plain form post (JavaScript off) had in the field `name`, given back to this
/// page ([`crate::flash::echoed`], under the flash id of its URL); `None` when there is none.
pub fn echoed_value(name: &str) -> Option<String> {
    let id = use_query_map().read_untracked().get("flash");
    crate::flash::echoed(id)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// The fields a refused plain form post (JavaScript off) gave back to this page, when that post
/// came from the form whose field `key` was `value` (pages with one form per item, such as a
/// checklist's indicators); `None` otherwise.
pub fn echoed_form(key: &str, value: &str) -> Option<Echo> {
    let id = use_query_map().read_untracked().get("flash");
    let fields = crate::flash::echoed(id);
    fields
        .iter()
        .any(|(n, v)| n == key && v == value)
        .then_some(Echo(fields))
}

/// The fields of one refused plain form post ([`echoed_form`]).
#[derive(Clone, Debug, Default)]
pub struct Echo(Vec<(String, String)>);

impl Echo {
    /// The text the field `name` had.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

/// The text a form field starts with: what a refused plain form post had in it, else `saved`.
pub fn echo_or(name: &str, saved: String) -> String {
    echoed_value(name).unwrap_or(saved)
}

/// A labelled input with its hint and error wired up for screen readers.
#[component]
pub fn TextField(
    /// The visible label.
    label: &'static str,
    /// The input's `name` (the server function's argument).
    name: &'static str,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` hint for browsers and password managers.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A help text shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Initial value.
    #[prop(optional, into)]
    value: Option<String>,
    /// The form's current error.
    error: Signal<Option<FieldMessage>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let value = echoed_value(name).or(value);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let mine = move || error.get().and_then(|e| e.about(name));
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if mine().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=move || mine().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-invalid=move || mine().map(|_| "true")
                aria-describedby=described_by
            />
            <p class="field__error" id=error_id.clone() role="alert">
                {move || mine()}
            </p>
        </div>
    }
}

/// The form-level error (one not tied to a visible field).
#[component]
pub fn FormAlert(
    /// The form's current error.
    error: Signal<Option<FieldMessage>>,
    /// Fields the form shows inputs for; errors about any other field show here.
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| {
            let elsewhere: Vec<&str> = e
                .problems()
                .into_iter()
                .filter(|(f, _)| !fields.contains(f))
                .map(|(_, m)| m)
                .collect();
            (!elsewhere.is_empty()).then(|| elsewhere.join(" "))
        })
    };
    view! {
        <div class="form-alert" role="alert">
            {move || message().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}

/// An irreversible action that asks first (issue 15, item 10): a disclosure whose toggle names
/// the action and what it acts on, opening onto what will happen and the form that does it
/// (`children`). A `<details>` element, so it asks the same with or without JavaScript.
#[component]
pub fn Confirm(
    /// The toggle's visible words ("Revoke…").
    #[prop(into)]
    toggle: String,
    /// What it acts on, read out after the toggle's words (" the Teacher invitation").
    #[prop(into)]
    target: String,
    /// What will happen, to whom, and whether it can be undone.
    #[prop(into)]
    question: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary class="button button--small button--danger">
                {toggle}
                <span class="visually-hidden">{target}</span>
            </summary>
            <div class="confirm__panel">
                <p class="confirm__question">{question}</p>
                {children()}
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every message a form shows starts with a capital, however the server worded it,
        /// and says nothing else differently (issue 15, item 11).
        #[test]
        fn a_shown_message_starts_with_a_capital(
            field in "[a-z_\\[\\]]{1,20}",
            first in proptest::char::range('a', 'z'),
            rest in "\\PC{0,60}",
        ) {
            let message = format!("{first}{rest}");
            let shown = FieldMessage::from_error(&AppError::invalid(field.clone(), message.clone()));
            prop_assert_eq!(&shown.field, &field);
            prop_assert!(shown.message.starts_with(first.to_ascii_uppercase()));
            prop_assert_eq!(&shown.message[1..], &message[1..]);
            let other = FieldMessage::from_error(&AppError::NotFound(message.clone()));
            prop_assert!(!other.message.starts_with(|c: char| c.is_lowercase()));
        }
    }

    proptest! {
        /// Several problems reported at once come apart again, each with its own message,
        /// capitalised, whatever the messages hold.
        #[test]
        fn several_problems_come_apart_in_order(
            problems in proptest::collection::vec(("[a-z]{1,8}\\[[a-z0-9_-]{1,12}\\]", "[a-z][^\n\r]{0,40}"), 1..8),
        ) {
            let mut seen = std::collections::HashSet::new();
            let problems: Vec<(String, String)> =
                problems.into_iter().filter(|(f, _)| seen.insert(f.clone())).collect();
            let shown = FieldMessage::from_error(&AppError::invalid_all(problems.clone()));
            let back = shown.problems();
            prop_assert_eq!(back.len(), problems.len());
            for ((field, message), (f, m)) in problems.iter().zip(back) {
                prop_assert_eq!(field.as_str(), f);
                prop_assert_eq!(sentence(message), m);
                prop_assert_eq!(shown.about(field), Some(sentence(message)));
            }
            prop_assert_eq!(shown.about("nothing[here]"), None);
        }
    }

    #[test]
    fn a_sentence_keeps_what_is_not_a_letter() {
        assert_eq!(sentence(""), "");
        assert_eq!(sentence("3 attempts"), "3 attempts");
        assert_eq!(sentence("éte"), "Éte");
        assert_eq!(sentence("«quoted»"), "«quoted»");
    }
}
