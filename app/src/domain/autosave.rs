//! The autosave of a text a person is writing (a journal entry, an evidence draft), as a pure
//! state machine: events in (typed, a pause, the Save button, the server's answer, the
//! connection), at most one command out (send the text now). The page's hook
//! (`components::autosave::use_autosave`) feeds it and carries out its commands; everything
//! about *when* to save and what the status line says is decided here, and tested here.
//!
//! Rules: one save in flight at a time (a save wanted meanwhile follows the answer); nothing is
//! sent without a connection (the page keeps the text on the device meanwhile); a text held
//! because it was written on an older version is only sent by the Save button, once the person
//! has compared the two; a text typed while a save was in flight is sent after it.

/// What the status line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing typed since the page opened.
    Idle,
    /// Typed; a save follows when the typing pauses.
    Waiting,
    /// A save is under way.
    Saving,
    /// Saved (at this time, epoch milliseconds, when known).
    Saved(Option<i64>),
    /// No connection: kept on this device, sent when the connection returns.
    Offline,
    /// Written on an older version than the server's: held until the person reconciles and
    /// presses Save.
    Conflict,
    /// Refused for a reason the page shows beside the form.
    Failed,
}

/// The server's answer to a save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Saved, at this time (epoch milliseconds).
    Saved(i64),
    /// Nothing was sent: the server already has this text.
    Unchanged,
    /// Not saved: the text was written on an older version.
    Conflict,
    /// The request did not reach the server, or its answer did not come back.
    Unreachable,
    /// Refused (invalid input and the like).
    Refused,
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The text changed.
    Typed,
    /// Typing paused long enough for a save.
    Paused,
    /// The person pressed Save (also saves over a conflict).
    SaveNow,
    /// The server answered the save in flight.
    Answered(Answer),
    /// The connection came back.
    Online,
    /// The connection went away.
    Offline,
    /// A text kept on this device (from before a reload) was put back in the form.
    Restored,
}

/// What the page must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Nothing now.
    Wait,
    /// Send the form's text now; `forced`: by the Save button (it may overwrite after a
    /// conflict, and saves even an unchanged text).
    Send {
        /// Pressed Save, rather than an autosave.
        forced: bool,
    },
}

/// The machine's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Autosave {
    status: Status,
    /// The form holds text the server does not have.
    unsaved: bool,
    /// A save is in flight.
    in_flight: bool,
    /// A save was wanted while one was in flight (`Some(forced)`).
    queued: Option<bool>,
}

impl Autosave {
    /// A machine for a page that opened with `status` (`Idle`, or `Saved(None)` after a plain
    /// form's save, or `Conflict` when the server holds a refused text).
    pub fn new(status: Status) -> Self {
        Self {
            status,
            unsaved: status == Status::Conflict,
            in_flight: false,
            queued: None,
        }
    }

    /// What the status line says now.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Whether the form holds text the server does not have yet.
    pub fn unsaved(&self) -> bool {
        self.unsaved
    }

    /// Feeds one event; `online` is whether the device has a connection now.
    pub fn on(&mut self, event: Event, online: bool) -> Command {
        match event {
            Event::Typed => {
                self.unsaved = true;
                if self.status != Status::Conflict {
                    self.status = if online {
                        Status::Waiting
                    } else {
                        Status::Offline
                    };
                }
                Command::Wait
            }
            Event::Paused | Event::Online => self.send(false, online),
            Event::SaveNow => self.send(true, online),
            Event::Restored => {
                self.unsaved = true;
                if self.status != Status::Conflict {
                    self.status = Status::Waiting;
                }
                self.send(false, online)
            }
            Event::Offline => {
                if matches!(self.status, Status::Waiting | Status::Saving) {
                    self.status = Status::Offline;
                }
                Command::Wait
            }
            Event::Answered(answer) => {
                self.in_flight = false;
                match answer {
                    Answer::Saved(at) => {
                        self.status = if self.unsaved {
                            Status::Waiting
                        } else {
                            Status::Saved(Some(at))
                        };
                    }
                    Answer::Unchanged => {
                        self.status = if self.unsaved {
                            Status::Waiting
                        } else {
                            Status::Saved(None)
                        };
                    }
                    Answer::Conflict => {
                        self.unsaved = true;
                        self.status = Status::Conflict;
                    }
                    Answer::Unreachable => {
                        self.unsaved = true;
                        self.status = Status::Offline;
                    }
                    Answer::Refused => {
                        self.unsaved = true;
                        self.status = Status::Failed;
                    }
                }
                match self.queued.take() {
                    Some(forced) => self.send(forced, online),
                    // Typed while the save was in flight: its pause may have come and gone.
                    None if self.unsaved
                        && matches!(answer, Answer::Saved(_) | Answer::Unchanged) =>
                    {
                        self.send(false, online)
                    }
                    None => Command::Wait,
                }
            }
        }
    }

    fn send(&mut self, forced: bool, online: bool) -> Command {
        if self.status == Status::Conflict && !forced {
            return Command::Wait;
        }
        if self.in_flight {
            self.queued = Some(self.queued.unwrap_or(false) || forced);
            return Command::Wait;
        }
        if !self.unsaved && !forced {
            return Command::Wait;
        }
        if !online {
            self.status = Status::Offline;
            return Command::Wait;
        }
        self.in_flight = true;
        self.unsaved = false;
        self.status = Status::Saving;
        Command::Send { forced }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            4 => Just(Event::Typed),
            3 => Just(Event::Paused),
            1 => Just(Event::SaveNow),
            1 => Just(Event::Online),
            1 => Just(Event::Offline),
            1 => Just(Event::Restored),
            3 => prop_oneof![
                4 => any::<u32>().prop_map(|t| Answer::Saved(i64::from(t))),
                1 => Just(Answer::Unchanged),
                1 => Just(Answer::Conflict),
                1 => Just(Answer::Unreachable),
                1 => Just(Answer::Refused),
            ]
            .prop_map(Event::Answered),
        ]
    }

    proptest! {
        /// Over any run of events: never two saves in flight; a held (conflict) text is only
        /// sent by the Save button; nothing is sent offline; "Saved" is never said while the
        /// form holds text the server lacks; and whenever typing stops, the connection is up
        /// and the server accepts, the text ends up saved — no word is left behind.
        #[test]
        fn no_text_is_left_behind(
            start in prop_oneof![Just(Status::Idle), Just(Status::Saved(None)), Just(Status::Conflict)],
            events in proptest::collection::vec((event(), any::<bool>()), 0..60),
        ) {
            let mut m = Autosave::new(start);
            let mut in_flight = false;
            for (event, online) in events {
                // The server only answers a save in flight.
                if matches!(event, Event::Answered(_)) && !in_flight {
                    continue;
                }
                let conflict_before = m.status() == Status::Conflict;
                if matches!(event, Event::Answered(_)) {
                    in_flight = false;
                }
                let command = m.on(event, online);
                if let Command::Send { forced } = command {
                    prop_assert!(!in_flight, "a second save while one is in flight");
                    prop_assert!(online, "sent without a connection");
                    prop_assert!(!conflict_before || forced || matches!(event, Event::Answered(_)),
                        "a held text sent without the Save button");
                    in_flight = true;
                }
                if let Status::Saved(_) = m.status() {
                    prop_assert!(!m.unsaved(), "says Saved with unsaved text");
                }
            }
            // Quiet from now on: answer what is in flight, pause, press Save if held.
            for _ in 0..4 {
                if in_flight {
                    in_flight = false;
                    if let Command::Send { .. } = m.on(Event::Answered(Answer::Saved(1)), true) {
                        in_flight = true;
                    }
                    continue;
                }
                let event = if m.status() == Status::Conflict || m.status() == Status::Failed {
                    Event::SaveNow
                } else {
                    Event::Paused
                };
                if let Command::Send { .. } = m.on(event, true) {
                    in_flight = true;
                }
            }
            prop_assert!(!in_flight);
            prop_assert!(!m.unsaved(), "text left unsaved: {:?}", m);
        }
    }

    #[test]
    fn typing_waits_for_a_pause_then_saves_once() {
        let mut m = Autosave::new(Status::Idle);
        assert_eq!(m.on(Event::Typed, true), Command::Wait);
        assert_eq!(m.status(), Status::Waiting);
        assert_eq!(m.on(Event::Paused, true), Command::Send { forced: false });
        assert_eq!(m.status(), Status::Saving);
        // A pause with nothing new typed sends nothing.
        assert_eq!(m.on(Event::Answered(Answer::Saved(5)), true), Command::Wait);
        assert_eq!(m.status(), Status::Saved(Some(5)));
        assert_eq!(m.on(Event::Paused, true), Command::Wait);
    }

    #[test]
    fn text_typed_during_a_save_follows_it() {
        let mut m = Autosave::new(Status::Idle);
        m.on(Event::Typed, true);
        assert_eq!(m.on(Event::Paused, true), Command::Send { forced: false });
        m.on(Event::Typed, true);
        assert_eq!(
            m.on(Event::Paused, true),
            Command::Wait,
            "one save at a time"
        );
        assert_eq!(
            m.on(Event::Answered(Answer::Saved(1)), true),
            Command::Send { forced: false }
        );
    }

    #[test]
    fn offline_keeps_the_text_until_the_connection_returns() {
        let mut m = Autosave::new(Status::Idle);
        m.on(Event::Typed, false);
        assert_eq!(m.status(), Status::Offline);
        assert_eq!(m.on(Event::Paused, false), Command::Wait);
        assert_eq!(m.on(Event::Online, true), Command::Send { forced: false });
        assert_eq!(
            m.on(Event::Answered(Answer::Unreachable), true),
            Command::Wait
        );
        assert_eq!(m.status(), Status::Offline);
        assert_eq!(m.on(Event::Online, true), Command::Send { forced: false });
    }

    #[test]
    fn a_conflict_is_held_until_save_is_pressed() {
        let mut m = Autosave::new(Status::Idle);
        m.on(Event::Typed, true);
        m.on(Event::Paused, true);
        assert_eq!(m.on(Event::Answered(Answer::Conflict), true), Command::Wait);
        m.on(Event::Typed, true);
        assert_eq!(m.status(), Status::Conflict);
        assert_eq!(m.on(Event::Paused, true), Command::Wait);
        assert_eq!(m.on(Event::Online, true), Command::Wait);
        assert_eq!(m.on(Event::SaveNow, true), Command::Send { forced: true });
    }
}
