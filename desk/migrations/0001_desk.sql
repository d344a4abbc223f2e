-- The newsroom desk's store (issue #17): the system of record shared by every
-- workstation. Times are milliseconds since 1970 (BIGINT), as on the workstation.
-- Hashes are hex TEXT, as they travel (shared/desk.ts).

CREATE TABLE desk_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

-- The change feed: one row per write a workstation must learn about, in commit order.
-- Every transaction that appends here first takes pg_advisory_xact_lock(17017) so that
-- seq order is commit order (a reader never skips a row committed late with a lower
-- seq). `kind` is the Change type of shared/desk.ts; `ref` the entity's id.
CREATE TABLE changes (
  seq   BIGSERIAL PRIMARY KEY,
  kind  TEXT NOT NULL CHECK (kind IN ('person', 'document', 'revision', 'comment', 'event', 'asset', 'publishing')),
  ref   TEXT NOT NULL,
  at    BIGINT NOT NULL
);

CREATE TABLE people (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  username       TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'photo_desk')),
  admin          BOOLEAN NOT NULL DEFAULT FALSE,
  -- scrypt: 'scrypt$N$r$p$salt(base64)$hash(base64)'; NULL until an invite is accepted.
  password_hash  TEXT,
  revoked_at     BIGINT,
  created_at     BIGINT NOT NULL
);

-- Invite codes are stored only as their SHA-256.
CREATE TABLE invites (
  code_hash    TEXT PRIMARY KEY,
  person_id    TEXT NOT NULL REFERENCES people(id),
  created_by   TEXT NOT NULL REFERENCES people(id),
  expires_at   BIGINT NOT NULL,
  used_at      BIGINT
);

-- Session tokens are stored only as their SHA-256.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  person_id    TEXT NOT NULL REFERENCES people(id),
  device       TEXT,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  revoked_at   BIGINT
);
CREATE INDEX sessions_by_person ON sessions (person_id);

-- Failed sign-ins, for slowing down guessing (per username and per address).
CREATE TABLE sign_in_failures (
  id        BIGSERIAL PRIMARY KEY,
  username  TEXT NOT NULL,
  address   TEXT NOT NULL,
  at        BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_username ON sign_in_failures (username, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Content-addressed blocks: brotli-compressed canonical JSON keyed by the SHA-256 of
-- the uncompressed text; checked on the way in.
CREATE TABLE blocks (
  hash  TEXT PRIMARY KEY,
  data  BYTEA NOT NULL
);

CREATE TABLE documents (
  id                    TEXT PRIMARY KEY,
  kind                  TEXT NOT NULL CHECK (kind IN ('article', 'caption', 'bio')),
  status                TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'submitted', 'changes_requested', 'approved', 'published', 'withdrawn')),
  owner_id              TEXT NOT NULL REFERENCES people(id),
  assignee_id           TEXT REFERENCES people(id),
  title                 TEXT NOT NULL DEFAULT '',
  slug                  TEXT NOT NULL DEFAULT '',
  word_count            INTEGER NOT NULL DEFAULT 0,
  head_revision_id      TEXT,
  approved_revision_id  TEXT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  trashed_at            BIGINT,
  trashed_by            TEXT REFERENCES people(id),
  -- The edit lock: a lease renewed by the holder's heartbeat.
  lock_holder           TEXT REFERENCES people(id),
  lock_session          TEXT,
  lock_seen_at          BIGINT
);
CREATE INDEX documents_by_status ON documents (status, updated_at);

-- Immutable. `blocks` is the revision's full ordered list of block hashes (the fields
-- block first). `aside`: pushed on a parent that was no longer the head, or while
-- someone else held the lock; kept for the holder to compare, never made the head by sync.
CREATE TABLE revisions (
  seq            BIGSERIAL UNIQUE,
  id             TEXT PRIMARY KEY,
  document_id    TEXT NOT NULL REFERENCES documents(id),
  parent_id      TEXT,
  author_id      TEXT NOT NULL REFERENCES people(id),
  created_at     BIGINT NOT NULL,
  label          TEXT NOT NULL,
  note           TEXT,
  content_hash   TEXT NOT NULL,
  blocks         TEXT[] NOT NULL,
  words          INTEGER NOT NULL,
  words_added    INTEGER NOT NULL,
  words_removed  INTEGER NOT NULL,
  aside          BOOLEAN NOT NULL DEFAULT FALSE,
  pushed_at      BIGINT NOT NULL
);
CREATE INDEX revisions_by_document ON revisions (document_id, seq);

CREATE TABLE workflow_events (
  id           BIGSERIAL PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  actor_id     TEXT NOT NULL REFERENCES people(id),
  action       TEXT NOT NULL,
  from_status  TEXT NOT NULL,
  to_status    TEXT NOT NULL,
  revision_id  TEXT,
  note         TEXT,
  created_at   BIGINT NOT NULL
);
CREATE INDEX workflow_events_by_document ON workflow_events (document_id, id);

-- Per person: which workflow events they have read (notifications are derived from
-- events on documents they own or are assigned).
CREATE TABLE notification_reads (
  person_id  TEXT PRIMARY KEY REFERENCES people(id),
  read_upto  BIGINT NOT NULL
);

CREATE TABLE comments (
  id           TEXT PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  author_id    TEXT NOT NULL REFERENCES people(id),
  body         TEXT NOT NULL,
  quote        TEXT NOT NULL,
  anchor_from  INTEGER NOT NULL,
  anchor_to    INTEGER NOT NULL,
  detached     BOOLEAN NOT NULL DEFAULT FALSE,
  created_at   BIGINT NOT NULL,
  resolved_at  BIGINT,
  resolved_by  TEXT REFERENCES people(id)
);
CREATE INDEX comments_by_document ON comments (document_id, created_at);

-- Photos' originals (the desk is stateless apart from PostgreSQL).
CREATE TABLE assets (
  sha256       TEXT PRIMARY KEY,
  file_name    TEXT NOT NULL,
  mime         TEXT NOT NULL,
  size         BIGINT NOT NULL,
  data         BYTEA NOT NULL,
  uploaded_by  TEXT NOT NULL REFERENCES people(id),
  created_at   BIGINT NOT NULL
);

-- The answer given to each idempotency key, so a resend from a workstation's outbox
-- gets the same answer instead of acting twice.
CREATE TABLE idempotency (
  key         TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES people(id),
  operation   TEXT NOT NULL,
  answer      JSONB NOT NULL,
  created_at  BIGINT NOT NULL
);

-- Publishing, as on the workstation (db/migrations/0008_publishing.sql), claimed by
-- desk workers with SELECT … FOR UPDATE SKIP LOCKED.
CREATE TABLE publish_targets (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('wordpress', 'ghost', 'webhook', 'folder')),
  config         JSONB NOT NULL,
  secret         BYTEA,
  staff_secret   BYTEA,
  paused_reason  TEXT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  removed_at     BIGINT
);

CREATE TABLE publish_jobs (
  id                BIGSERIAL PRIMARY KEY,
  document_id       TEXT NOT NULL REFERENCES documents(id),
  target_id         TEXT NOT NULL REFERENCES publish_targets(id),
  action            TEXT NOT NULL CHECK (action IN ('publish', 'unpublish', 'caption', 'bio')),
  revision_id       TEXT,
  publish_at        BIGINT,
  state             TEXT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   BIGINT,
  last_error        TEXT,
  create_intent_at  BIGINT,
  force             BOOLEAN NOT NULL DEFAULT FALSE,
  conflict          JSONB,
  -- Which desk process is sending it and until when (a killed process's claim lapses).
  claimed_by        TEXT,
  claimed_until     BIGINT,
  created_by        TEXT REFERENCES people(id),
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX publish_jobs_due ON publish_jobs (state, next_attempt_at);
CREATE INDEX publish_jobs_document ON publish_jobs (document_id, target_id, id);

CREATE TABLE remote_posts (
  document_id         TEXT NOT NULL REFERENCES documents(id),
  target_id           TEXT NOT NULL REFERENCES publish_targets(id),
  remote_id           TEXT NOT NULL,
  url                 TEXT NOT NULL,
  remote_modified     TEXT NOT NULL,
  revision_id         TEXT,
  status              TEXT NOT NULL CHECK (status IN ('published', 'scheduled', 'withdrawn')),
  first_published_at  BIGINT,
  updated_at          BIGINT NOT NULL,
  PRIMARY KEY (document_id, target_id)
);

CREATE TABLE remote_media (
  target_id            TEXT NOT NULL REFERENCES publish_targets(id),
  sha256               TEXT NOT NULL,
  caption_document_id  TEXT,
  remote_id            TEXT NOT NULL,
  url                  TEXT NOT NULL,
  caption_revision_id  TEXT,
  created_at           BIGINT NOT NULL,
  PRIMARY KEY (target_id, sha256)
);
