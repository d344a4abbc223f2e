-- People at this workstation, who is at the keyboard, and documents with their working copy.

CREATE TABLE people (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'photo_desk')),
  created_at  INTEGER NOT NULL
);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

CREATE TABLE documents (
  id                    TEXT PRIMARY KEY,
  kind                  TEXT NOT NULL CHECK (kind IN ('article', 'caption', 'bio')),
  status                TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'submitted', 'changes_requested', 'approved', 'published', 'withdrawn')),
  owner_id              TEXT NOT NULL REFERENCES people(id),
  assignee_id           TEXT REFERENCES people(id),
  -- The working copy: JSON of the document's fields and body, saved while typing.
  working               TEXT NOT NULL,
  working_version       INTEGER NOT NULL DEFAULT 1,
  -- Derived from the working copy on every save, for the story list.
  title                 TEXT NOT NULL DEFAULT '',
  word_count            INTEGER NOT NULL DEFAULT 0,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  updated_by            TEXT REFERENCES people(id),
  trashed_at            INTEGER,
  trashed_by            TEXT REFERENCES people(id),
  -- Filled in by the revisions and workflow issues.
  head_revision_id      TEXT,
  approved_revision_id  TEXT
);

CREATE INDEX documents_by_change ON documents (trashed_at, updated_at DESC);
CREATE INDEX documents_by_kind_status ON documents (kind, status);
