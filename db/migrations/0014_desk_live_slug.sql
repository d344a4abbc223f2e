-- The frozen slug on a workstation linked to a newsroom desk (issue #18). Publishing is
-- the desk's there, so no local remote post says a story is live; what the desk last
-- said of the story's posts (DeskDocument.published, from the change feed) is kept
-- here, so the back end freezes the slug after a restart too, offline included.
-- desk_live: published or scheduled on some target. desk_publish_at: the desk's latest
-- scheduled publish time (DeskDocument.publishAt); while it is ahead, the story publishes
-- later, so approving it again is how plans change (not "published unchanged").
ALTER TABLE documents ADD COLUMN desk_live INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN desk_publish_at INTEGER;

-- A live slug changed with the person's explicit Unlock slug travels to the desk with
-- the revision that carries it (WireRevision.slugUnlocked), so the desk can tell it from
-- a change nobody meant. The working copy holds the unlock until a revision is cut from
-- it; that revision then holds it for good.
ALTER TABLE documents ADD COLUMN slug_unlocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN slug_unlocked INTEGER NOT NULL DEFAULT 0;
