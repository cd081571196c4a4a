//! The one error type every server function returns, typed across the wire so pages can react
//! to what happened ("not found", "this field is wrong") instead of showing a string blob.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as the browser may know it. Nothing internal is ever carried here: details of
/// unexpected failures go to the server log only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("{0} was not found")]
    NotFound(String),
    /// An input is invalid; `field` names it so the page can show the message beside it.
    #[error("{field}: {message}")]
    Invalid {
        /// The input's name, as the form calls it.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The caller must sign in first.
    #[error("please sign in to continue")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("you do not have access to this")]
    Forbidden,
    /// Too many attempts; try again after the given number of seconds.
    #[error("too many attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    /// The server has no capacity for this now (CPU-heavy work queued too long); try again.
    #[error("the server is busy; please try again in a moment")]
    Busy,
    /// Something failed on the server; the log has the details.
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("could not reach the server ({0})")]
    Transport(String),
}

impl AppError {
    /// An invalid-input error for one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Several invalid inputs at once, so a form can say everything at once (issue 15): the
    /// fields' names separated by spaces (a name never holds one) and their messages by line
    /// breaks, in the same order. `problems` must not be empty; one problem is
    /// [`AppError::invalid`] itself.
    pub fn invalid_all(problems: Vec<(String, String)>) -> Self {
        let (fields, messages): (Vec<_>, Vec<_>) = problems
            .into_iter()
            .map(|(f, m)| (f, m.replace(['\n', '\r'], " ")))
            .unzip();
        Self::Invalid {
            field: fields.join(" "),
            message: messages.join("\n"),
        }
    }

    /// What to tell the person, in the page's language (`Display` stays in English for logs).
    pub fn localized(&self) -> String {
        use crate::i18n::k::errors;
        match self {
            Self::NotFound(what) => errors::not_found(what),
            Self::Invalid { field, message } => errors::invalid(field, message),
            Self::Unauthorized => crate::t!(errors.unauthorized).to_owned(),
            Self::Forbidden => crate::t!(errors.forbidden).to_owned(),
            Self::TooManyRequests(seconds) => errors::too_many_requests(seconds),
            Self::Busy => crate::t!(errors.busy).to_owned(),
            Self::Internal => crate::t!(errors.internal).to_owned(),
            Self::Transport(detail) => errors::transport(detail),
        }
    }

    /// The HTTP status this error should be answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Invalid { .. } => 422,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::TooManyRequests(_) => 429,
            Self::Busy => 503,
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::api::JsonTextEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's arguments could not be read (missing, wrongly typed, duplicated):
            // the caller's mistake, answered 422 naming the field where the decoder says it
            // (a plain form post goes back to its page with the message, like any other).
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                let error = malformed_arguments(&m);
                #[cfg(feature = "ssr")]
                {
                    tracing::debug!(detail = %m, "malformed server function arguments");
                    let _ = crate::api::form_answer::<()>(Err(error.clone()));
                }
                error
            }
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => Self::Transport(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                Self::Internal
            }
        }
    }
}

/// The answer to arguments the server function's decoder refused, naming the field when the
/// decoder's message does (serde: "missing field `x`", "duplicate field `x`", "unknown
/// field `x`"); otherwise the field is `request`. The decoder's own words are not passed on
/// beyond a short, printable prefix.
pub fn malformed_arguments(decoder_message: &str) -> AppError {
    let field = decoder_message
        .split_once('`')
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name)
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']' | '-'))
        });
    let lowered = decoder_message.to_ascii_lowercase();
    let message = if lowered.contains("missing field") {
        crate::t!(verify.arg_required)
    } else if lowered.contains("duplicate field") || lowered.contains("multiple values") {
        crate::t!(verify.arg_duplicate)
    } else if lowered.contains("unknown field") {
        crate::t!(verify.arg_unknown)
    } else if lowered.contains("utf-8") || lowered.contains("utf8") {
        crate::t!(verify.arg_not_utf8)
    } else {
        crate::t!(verify.arg_wrong_kind)
    };
    AppError::invalid(field.unwrap_or("request"), message)
}

/// Logs an unexpected failure with its whole chain and turns it into [`AppError::Internal`]
/// ([`AppError::Busy`] when the CPU-heavy work could not find a free core in time).
#[cfg(feature = "ssr")]
pub fn internal(error: anyhow::Error) -> AppError {
    if crate::work::is_busy(&error) {
        tracing::warn!(error = format!("{error:#}"), "busy");
        return AppError::Busy;
    }
    tracing::error!(error = format!("{error:#}"), "internal error");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_say_nothing_internal() {
        let shown = AppError::Internal.to_string();
        assert!(!shown.contains("sql"));
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn malformed_arguments_name_the_field_the_decoder_names() {
        assert_eq!(
            malformed_arguments("missing field `cohort_id`"),
            AppError::invalid("cohort_id", "is required")
        );
        let e = malformed_arguments("invalid digit found in string");
        assert_eq!(e.status(), 422);
        assert!(matches!(e, AppError::Invalid { ref field, .. } if field == "request"));
        // Nothing odd from the request is echoed as a field name.
        let e = malformed_arguments("unknown field `<script>`");
        assert!(matches!(e, AppError::Invalid { ref field, .. } if field == "request"));
    }

    #[test]
    fn invalid_names_the_field() {
        let e = AppError::invalid("title", "must not be empty");
        assert_eq!(e.to_string(), "title: must not be empty");
        assert_eq!(e.status(), 422);
    }
}
