-- Translations kept beside the original content (issue 18): one row per translated text of a
-- framework (its names, domains, competencies, indicators), a unit or a course page, replaced
-- whole for a framework and language at each import. Pages read in a language lay these over
-- the original; anything untranslated shows the original.
CREATE TABLE translations (
    framework_id  BIGINT  NOT NULL REFERENCES frameworks (id),
    language      TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('framework', 'domain', 'competency', 'indicator', 'unit', 'page')),
    slug          TEXT    NOT NULL,
    field         TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    PRIMARY KEY (framework_id, language, kind, slug, field)
);
