-- Comments on a document, anchored to a range of its working copy. The editor maps
-- the range through every edit and saves it with the working copy; when the text is
-- deleted the comment stays, marked detached.
CREATE TABLE comments (
  id           TEXT PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  author_id    TEXT NOT NULL REFERENCES people(id),
  body         TEXT NOT NULL,
  quote        TEXT NOT NULL,
  anchor_from  INTEGER NOT NULL,
  anchor_to    INTEGER NOT NULL,
  detached     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  resolved_by  TEXT REFERENCES people(id)
);
CREATE INDEX comments_by_document ON comments (document_id, created_at);
