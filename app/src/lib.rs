//! The mentoring micro-credential: shared types, components, pages and server functions.
//!
//! Built twice: with `ssr` into the server binary, with `hydrate` into the browser's WebAssembly.
#![recursion_limit = "512"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod browser;
pub mod components;
#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod export;
pub mod flash;
#[cfg(feature = "ssr")]
mod hydration;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod lang;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod work;

mod root;
#[cfg(feature = "ssr")]
pub use root::shell;
pub use root::{content_security_policy, mark_hydrated, App};
