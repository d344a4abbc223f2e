-- Revisions: every version of every document, stored as content-addressed blocks.

-- One block per top-level body node and one for the fields: canonical JSON,
-- brotli-compressed, addressed by the SHA-256 of the uncompressed JSON. A changed
-- paragraph costs one new block; an unchanged one is shared by every revision.
CREATE TABLE blocks (
  id    INTEGER PRIMARY KEY,
  hash  BLOB NOT NULL UNIQUE,
  data  BLOB NOT NULL
);

-- Immutable. Hashes are stored as 32-byte BLOBs (shown as hex). `id` is the SHA-256 of the revision's canonical record (document,
-- content hash, author, time, label, note); `content_hash` identifies the content
-- itself, so identical content is recognised without comparing text. `blocks` is the
-- revision's own ordered list of block ids (packed varints): the fields block, then
-- the body's top-level nodes. Any revision is rebuilt from that list alone.
CREATE TABLE revisions (
  seq            INTEGER PRIMARY KEY,
  id             BLOB NOT NULL UNIQUE,
  document_id    TEXT NOT NULL REFERENCES documents(id),
  parent_id      BLOB,
  author_id      TEXT NOT NULL REFERENCES people(id),
  created_at     INTEGER NOT NULL,
  label          TEXT NOT NULL CHECK (label IN ('autosave', 'checkpoint', 'submitted', 'approved', 'published', 'restored')),
  note           TEXT,
  content_hash   BLOB NOT NULL,
  blocks         BLOB NOT NULL,
  words          INTEGER NOT NULL,
  words_added    INTEGER NOT NULL,
  words_removed  INTEGER NOT NULL
);
CREATE INDEX revisions_by_document ON revisions (document_id, seq);

-- Full-text search over the current text of every document (rowid = documents.rowid).
CREATE VIRTUAL TABLE documents_fts USING fts5 (
  title,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- 1 while the working copy holds changes no revision has captured yet, so a restart
-- after a crash can cut the autosave the crash prevented.
ALTER TABLE documents ADD COLUMN working_dirty INTEGER NOT NULL DEFAULT 0;
