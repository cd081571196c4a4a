//! The one error type every server function returns, typed across the wire so pages can react
//! to what happened ("not found", "this field is wrong") instead of showing a string blob.

use leptos::server_fn::codec::JsonEncoding;
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

    /// The HTTP status this error should be answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Invalid { .. } => 422,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::TooManyRequests(_) => 429,
            Self::Internal => 500,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                Self::invalid("request", m)
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

/// Logs an unexpected failure with its whole chain and turns it into [`AppError::Internal`].
#[cfg(feature = "ssr")]
pub fn internal(error: anyhow::Error) -> AppError {
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
    fn invalid_names_the_field() {
        let e = AppError::invalid("title", "must not be empty");
        assert_eq!(e.to_string(), "title: must not be empty");
        assert_eq!(e.status(), 422);
    }
}
