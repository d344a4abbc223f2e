-- 1 while the search index holds an older text than the working copy. A working-copy
-- save only sets this: re-indexing a long story (about 6 ms for 20,000 words) on every
-- save, every 2 s while someone types, blocked the back end, which in the desktop app
-- is Electron's main process. Stale documents are indexed before any search runs, and
-- when the back end closes; the flag survives a crash.
ALTER TABLE documents ADD COLUMN search_stale INTEGER NOT NULL DEFAULT 0;
-- Before this migration, restoring a version did not re-index the document, so a
-- restored document's entry may hold the text it replaced: index those again.
UPDATE documents SET search_stale = 1 WHERE id IN (SELECT document_id FROM revisions WHERE label = 'restored');
