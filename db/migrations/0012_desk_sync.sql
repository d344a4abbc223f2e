-- The workstation's sync with the newsroom desk (issue #17): what it must remember to
-- send only what the desk lacks and to apply what changed there exactly once.

-- Where a revision stands with the desk: NULL while the desk has not accepted it
-- (it waits to be sent), 'pushed' on the story's line, 'aside' when it was kept beside
-- the line ("edited offline by …"), 'refused' when the desk will never take it (made
-- here before the workstation joined the desk, by someone who is not a desk person).
ALTER TABLE revisions ADD COLUMN desk_state TEXT CHECK (desk_state IN ('pushed', 'aside', 'refused'));
CREATE INDEX revisions_waiting_for_desk ON revisions (seq) WHERE desk_state IS NULL;

-- The desk's head revision of the document as last heard (pull or accepted push), and
-- whether the desk knows the document at all (a push sends its header until it does).
ALTER TABLE documents ADD COLUMN desk_head_revision_id TEXT;
ALTER TABLE documents ADD COLUMN desk_known INTEGER NOT NULL DEFAULT 0;

-- The desk's id of a workflow event, so a pulled event is recorded once, and a step
-- taken here is matched with the desk's record of it instead of listed twice.
ALTER TABLE workflow_events ADD COLUMN desk_id INTEGER;
CREATE UNIQUE INDEX workflow_events_by_desk_id ON workflow_events (desk_id) WHERE desk_id IS NOT NULL;

-- Photos the desk holds (from the change feed, or uploaded from here). A photo is
-- fetched from the desk when first needed, then imported like any other.
CREATE TABLE desk_assets (
  sha256       TEXT PRIMARY KEY,
  file_name    TEXT NOT NULL,
  mime         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  uploaded_by  TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
