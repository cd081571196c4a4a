-- E-mail that reaches people (issue 17): personal invitations, reminders that can be turned
-- off without signing in, and a List-Unsubscribe link on the messages that carry one.

-- An invitation sent to one address (a pasted list makes one per address, one seat each).
ALTER TABLE invitations ADD COLUMN email TEXT;

-- Each person's e-mail settings. `token` is the capability in the "turn reminders off" link
-- (stored as is: it can only switch reminders, and every message must carry it); `reminders`
-- 0 stops reminders, notices of waiting work and digests (never account or decision mail).
CREATE TABLE mail_settings (
    user_id     BIGINT  PRIMARY KEY REFERENCES users (id),
    token       TEXT    NOT NULL UNIQUE,
    reminders   BIGINT  NOT NULL DEFAULT 1,
    updated_at  BIGINT  NOT NULL
);

-- Each scheduled message once: the sweep that inserts the row (several instances may try;
-- the key decides) queues the message in the same transaction. `subject_key` is what makes it
-- one: a week for a digest, a submission for an overdue notice, a day of last activity.
CREATE TABLE reminders_sent (
    kind         TEXT    NOT NULL,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    subject_key  TEXT    NOT NULL,
    sent_at      BIGINT  NOT NULL,
    PRIMARY KEY (kind, user_id, subject_key)
);

-- The message's one-click unsubscribe URL (RFC 8058), when it has one.
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;
