//! Types and rules shared by the browser and the server.

pub mod account;
pub mod assessment;
pub mod authority;
pub mod autosave;
pub mod changes;
pub mod cohort;
pub mod course;
pub mod credential;
pub mod dashboard;
pub mod evaluation;
pub mod framework;
pub mod ids;
pub mod journal;
pub mod lang;
pub mod rating;
pub mod review;
pub mod slug;
pub mod statement;
pub mod time;
pub mod unit;
pub mod url;
