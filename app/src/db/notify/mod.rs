//! Notices and reminders by e-mail (issue 17), queued through the outbox (`db::mail`):
//! - [`events`]: messages caused by an event, queued in the event's own transaction (a
//!   decision to its teacher, a new submission to the assessors who may take it);
//! - [`sweep`]: messages caused by time (a claim that lapsed, a teacher who went quiet, a
//!   baseline not done, a submission beyond its cohort's turnaround target, the weekly digest),
//!   each sent once thanks to `reminders_sent`, whichever instance sweeps first;
//! - [`settings`]: each person's switch for reminders and the token of the link that turns
//!   them off without signing in.
//!
//! No message carries journal, evidence or feedback text.

mod digest;
pub mod events;
pub mod settings;
pub mod sweep;
