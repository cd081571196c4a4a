-- Autosave writes every pause in typing. Saves close together extend one revision instead of
-- adding one each, so the history reads as moments of writing: a revision is extended while its
-- last save is under 5 minutes old and it was opened under 30 minutes ago (see db::journal::save).
ALTER TABLE journal_revisions ADD COLUMN opened_at BIGINT NOT NULL DEFAULT 0;
UPDATE journal_revisions SET opened_at = saved_at;
