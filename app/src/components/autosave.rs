//! `use_autosave`: the one autosave of every page where people write at length (the journal,
//! the evidence draft). The decisions are [`crate::domain::autosave`]'s, a pure state machine;
//! this hook feeds it the page's events (typing and its pauses, the Save button, the server's
//! answers, the connection going and coming) and carries out its one command, "send now",
//! through the page's `send`.

use crate::domain::autosave::{Answer, Autosave, Command, Event, Status};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// How long typing must pause before an autosave.
pub const PAUSE: Duration = Duration::from_millis(800);

/// The page's handle on its autosave. `Copy`: hand it to every event handler.
#[derive(Clone, Copy)]
pub struct AutosaveHandle {
    machine: StoredValue<Autosave>,
    status: RwSignal<Status>,
    send: StoredValue<Arc<dyn Fn(bool) -> bool + Send + Sync>>,
    typing: StoredValue<u64>,
}

impl AutosaveHandle {
    fn feed(self, event: Event) {
        let online = crate::browser::online();
        // `try_`: a timer or a listener may fire after the page has gone (issue 15).
        let Some((command, status)) = self.machine.try_update_value(|m| {
            let command = m.on(event, online);
            (command, m.status())
        }) else {
            return;
        };
        self.status.try_set(status);
        if let Command::Send { forced } = command {
            if let Some(send) = self.send.try_get_value() {
                if !send(forced) {
                    self.feed(Event::Answered(Answer::Unchanged));
                }
            }
        }
    }

    /// The text changed: saved when the typing pauses ([`PAUSE`]).
    pub fn typed(self) {
        self.feed(Event::Typed);
        let Some(mine) = self.typing.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        set_timeout(
            move || {
                if self.typing.try_get_value() == Some(mine) {
                    self.feed(Event::Paused);
                }
            },
            PAUSE,
        );
    }

    /// The Save button: sends now (after the save in flight, if any), even over a conflict.
    pub fn save_now(self) {
        self.feed(Event::SaveNow);
    }

    /// The server's answer to the save `send` started. Every `send` that returned `true` must
    /// be answered once.
    pub fn answered(self, answer: Answer) {
        self.feed(Event::Answered(answer));
    }

    /// A text kept on this device was put back in the form: it is sent as soon as possible.
    pub fn restored(self) {
        self.feed(Event::Restored);
    }

    /// What the status line says (reactive).
    pub fn status(self) -> Status {
        self.status.get()
    }

    /// Whether the form holds text the server does not have yet.
    pub fn unsaved(self) -> bool {
        self.machine
            .try_with_value(Autosave::unsaved)
            .unwrap_or(false)
    }
}

/// Starts a page's autosave in state `start` (`Idle`; `Saved(None)` after a plain form's
/// save; `Conflict` when the server holds a refused text). `send(forced)` must send what the
/// form holds now (`forced`: the Save button) and later report the answer through
/// [`AutosaveHandle::answered`], or return `false` when there is nothing to send (the server
/// has this text already). In the browser, the connection's coming and going is
/// listened for until the page goes.
pub fn use_autosave(
    start: Status,
    send: impl Fn(bool) -> bool + Send + Sync + 'static,
) -> AutosaveHandle {
    let handle = AutosaveHandle {
        machine: StoredValue::new(Autosave::new(start)),
        status: RwSignal::new(start),
        send: StoredValue::new(Arc::new(send)),
        typing: StoredValue::new(0),
    };
    Effect::new(move |_| {
        let online = window_event_listener(leptos::ev::online, move |_| handle.feed(Event::Online));
        let offline =
            window_event_listener(leptos::ev::offline, move |_| handle.feed(Event::Offline));
        on_cleanup(move || {
            online.remove();
            offline.remove();
        });
    });
    handle
}
