//! One module per route.

pub mod competency;
pub mod framework;
pub mod frameworks;
pub mod home;
pub mod not_found;
pub mod profile;
pub mod sign_in;
