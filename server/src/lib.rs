//! The axum server: configuration, start-up and the router, as a library so integration tests
//! can build the exact router the binary serves.

pub mod case;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod exports;
pub mod language;
pub mod limits;
pub mod mail;
pub mod middleware;
pub mod offline;
pub mod startup;
pub mod telemetry;
pub mod uploads;
pub mod wallet;
