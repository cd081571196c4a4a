//! Reusable pieces, one per file.

pub mod assessment;
pub mod autosave;
pub mod error_panel;
pub mod form;
pub mod layout;
pub mod session_guard;
pub mod status;
