-- The audit trail is exported by date range (issue 17): reading a range must not scan it all.
CREATE INDEX audit_log_at ON audit_log (at);
