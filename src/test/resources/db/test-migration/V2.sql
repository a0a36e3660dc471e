-- notes get an author; existing rows keep their body
ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';
CREATE INDEX notes_by_author ON notes (author);
