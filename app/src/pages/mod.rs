//! One module per route.

pub mod assess;
pub mod checklist;
pub mod cohort;
pub mod competency;
pub mod coordinator;
pub mod course;
pub mod credential;
pub mod dashboard;
pub mod evaluation;
pub mod evidence;
pub mod framework;
pub mod frameworks;
pub mod home;
pub mod join;
pub mod journal;
pub mod mail_settings;
pub mod moderation;
pub mod not_found;
pub mod profile;
pub mod reset;
pub mod sign_in;
pub mod sign_up;
pub mod statement;
pub mod unit;
