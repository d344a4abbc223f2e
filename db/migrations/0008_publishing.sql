-- Publish targets: where approved revisions go. The secret is stored encrypted
-- (electron/services/secrets.ts); config holds only what is not secret.
CREATE TABLE publish_targets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('wordpress', 'ghost', 'webhook', 'folder')),
  config TEXT NOT NULL,
  secret BLOB,
  paused_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  removed_at INTEGER
);

-- The outbox: one row per thing to send, written in the same transaction as the
-- workflow step that asked for it. The worker sends them in order per document and
-- target, and picks up where it left off after a restart.
CREATE TABLE publish_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES documents(id),
  target_id TEXT NOT NULL REFERENCES publish_targets(id),
  action TEXT NOT NULL CHECK (action IN ('publish', 'unpublish', 'caption', 'bio')),
  revision_id TEXT,
  publish_at INTEGER,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error TEXT,
  -- Set just before a create is sent: after an unknown outcome the worker looks for
  -- the earlier post before creating again.
  create_intent_at INTEGER,
  -- An editor's choice on a conflict: overwrite the CMS's copy on the next attempt.
  force INTEGER NOT NULL DEFAULT 0,
  -- For a conflict: what the CMS held (title, text) when Galley refused to overwrite.
  conflict TEXT,
  created_by TEXT REFERENCES people(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX publish_jobs_due ON publish_jobs (state, next_attempt_at);
CREATE INDEX publish_jobs_document ON publish_jobs (document_id, target_id, id);

-- The remote copy of a document on a target: exactly one per document and target.
CREATE TABLE remote_posts (
  document_id TEXT NOT NULL REFERENCES documents(id),
  target_id TEXT NOT NULL REFERENCES publish_targets(id),
  remote_id TEXT NOT NULL,
  url TEXT NOT NULL,
  -- The CMS's modification marker as of Galley's last write: a different one later
  -- means someone changed the post in the CMS.
  remote_modified TEXT NOT NULL,
  revision_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('published', 'scheduled', 'withdrawn')),
  first_published_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, target_id)
);

-- Photos uploaded to a target, once per sha256; caption edits update the media item.
CREATE TABLE remote_media (
  target_id TEXT NOT NULL REFERENCES publish_targets(id),
  sha256 TEXT NOT NULL,
  caption_document_id TEXT,
  remote_id TEXT NOT NULL,
  url TEXT NOT NULL,
  caption_revision_id TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (target_id, sha256)
);
CREATE INDEX remote_media_caption ON remote_media (caption_document_id);
