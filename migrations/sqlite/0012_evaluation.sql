-- The cohort's evaluation (issue 17): a review turnaround target, and every claim kept.

-- Submission to decision, in business days (Monday to Friday, UTC), that the cohort aims for;
-- the evaluation page highlights decisions and waiting submissions beyond it.
ALTER TABLE cohorts ADD COLUMN turnaround_days BIGINT NOT NULL DEFAULT 10;

-- Each claim of a submission by an assessor, from taking it to how it ended. The submission row
-- holds only the current claim; this keeps them all, so a claim that lapsed (its time ran out
-- before a decision) can be counted per assessor and told to them.
CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    submission_id  BIGINT  NOT NULL REFERENCES submissions (id),
    assessor_id    BIGINT  NOT NULL REFERENCES users (id),
    second         BIGINT  NOT NULL DEFAULT 0,   -- 1: second marking
    claimed_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,              -- moved forward when the holder claims again
    ended_at       BIGINT,
    outcome        TEXT    CHECK (outcome IN ('decided', 'released', 'lapsed', 'withdrawn')),
    lapse_told_at  BIGINT                         -- the assessor was e-mailed that it lapsed
);
CREATE INDEX claims_open ON claims (submission_id) WHERE ended_at IS NULL;
CREATE INDEX claims_assessor ON claims (assessor_id);
