-- Course pages (issue 18): the introduction, guides, printable tools, glossary and references
-- of a framework's course, imported from content/course/<framework>/*.md like the units.
CREATE TABLE course_pages (
    id            INTEGER PRIMARY KEY,
    framework_id  BIGINT  NOT NULL REFERENCES frameworks (id),
    slug          TEXT    NOT NULL,
    position      BIGINT  NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('guide', 'tool', 'reference')),
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    body          TEXT    NOT NULL,   -- Markdown with {{placeholders}}
    retired_at    BIGINT,
    CONSTRAINT course_pages_framework_slug UNIQUE (framework_id, slug)
);

-- Texts written for the course rather than quoted from the framework's source are marked, so
-- pages can say "adapted" (1) beside them.
ALTER TABLE domains ADD COLUMN summary_adapted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE competencies ADD COLUMN description_adapted BIGINT NOT NULL DEFAULT 0;

-- Who wrote the framework, for its CASE 1.1 package (CFDocument.creator).
ALTER TABLE frameworks ADD COLUMN creator TEXT NOT NULL DEFAULT '';
