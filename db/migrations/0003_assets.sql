-- Photos and other binary assets: bytes live in the data folder under assets/, named
-- by their SHA-256, so the same photo imported twice is stored once.
CREATE TABLE assets (
  sha256         TEXT PRIMARY KEY,
  mime           TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  size           INTEGER NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  original_name  TEXT NOT NULL,
  -- The embedded IPTC/XMP metadata as read at import (JSON), kept for the record.
  metadata       TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL REFERENCES people(id)
);
