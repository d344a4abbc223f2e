-- The audit trail: every workflow step, with who, when, from and to which status,
-- on which revision, and why. Never updated or deleted.
CREATE TABLE workflow_events (
  id           INTEGER PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  actor_id     TEXT NOT NULL REFERENCES people(id),
  action       TEXT NOT NULL,
  from_status  TEXT NOT NULL,
  to_status    TEXT NOT NULL,
  revision_id  TEXT,
  note         TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX workflow_events_by_document ON workflow_events (document_id, id);
