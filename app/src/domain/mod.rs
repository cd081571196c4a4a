//! Types and rules shared by the browser and the server.

pub mod framework;
pub mod slug;
