//! Reusable pieces, one per file.

pub mod error_panel;
pub mod layout;
pub mod status;
