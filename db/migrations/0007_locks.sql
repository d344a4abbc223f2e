-- Who is editing a document right now (one holder at a time), and when their editor
-- last said so; a holder silent for long enough has let go.
ALTER TABLE documents ADD COLUMN lock_holder TEXT REFERENCES people(id);
ALTER TABLE documents ADD COLUMN lock_seen_at INTEGER;
-- Which editor window holds it: the same person in two windows must not clash either.
ALTER TABLE documents ADD COLUMN lock_session TEXT;
