-- The language a person reads in (issue 18), remembered on their account so e-mails reach them
-- in it: set when they join (the language of the page they joined from) and whenever they
-- choose one in the footer while signed in. A BCP 47 tag the product speaks ('en', 'fr').
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr'));
