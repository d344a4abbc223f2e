-- The newsroom desk (issue #17): actions this workstation made that wait to be sent to
-- the desk ("Waiting to send"). The desk is the authority once one is configured; the
-- local step already happened (so a reporter offline still sees "Submitted") and the
-- item carries it to the desk, in order, each exactly once: `id` is the desk's
-- idempotency key, so a resend after an unknown outcome gets the first answer back.
-- An accepted item is deleted; a refused one stays, with the desk's reason, for the
-- person to read. The link's own settings (address, sealed token, cursor) live in
-- `settings` under desk.*.
CREATE TABLE desk_outbox (
  n            INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  operation    TEXT NOT NULL,
  -- The desk operation's input without `key` (added when sent).
  payload      TEXT NOT NULL,
  summary      TEXT NOT NULL,
  document_id  TEXT,
  -- Who made it: only their session sends it (another person signing in here does not
  -- send someone else's work under their own name).
  person_id    TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'refused')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  created_at   INTEGER NOT NULL
);

CREATE INDEX desk_outbox_waiting ON desk_outbox (state, n);
