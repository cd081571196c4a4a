//! Every integration test in one binary. Each file used to be its own test crate, and each
//! crate linked the whole application and compiled the shared helpers again; one crate does
//! both once (see docs/decisions.md, "Tests").

#[macro_use]
mod common;

mod access;
mod accounts;
mod assessment;
mod backup;
mod binary;
mod case;
mod cohorts;
mod credentials;
mod dashboard;
mod evaluation;
mod exports;
mod framework;
mod journal;
mod languages;
mod mail;
mod pages;
mod plain_forms;
mod ratings;
mod record;
mod stored_values;
mod trust;
mod units;
mod wallet;
