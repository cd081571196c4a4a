-- Autosave writes at every pause in typing. Saves close together extend one revision instead of
-- adding one each, so the history reads as moments of writing. The revision being extended is
-- "open": the entry row points at it and holds its current text, so an autosave is a single
-- UPDATE of the entry; the revision row is brought up to date when the next one opens (see
-- db::journal::save). A revision stays open while its last save is under 5 minutes old and it
-- was opened under 30 minutes ago.
ALTER TABLE journal_entries ADD COLUMN open_revision_id BIGINT;
ALTER TABLE journal_entries ADD COLUMN open_opened_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE journal_entries ADD COLUMN open_saved_at BIGINT NOT NULL DEFAULT 0;
