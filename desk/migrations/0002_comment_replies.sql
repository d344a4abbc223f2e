-- Replies (issue #18), as on the workstation (db/migrations/0013): a comment answering
-- another on the same document, under its thread.
ALTER TABLE comments ADD COLUMN parent_id TEXT REFERENCES comments(id);
CREATE INDEX comments_by_parent ON comments (parent_id);
