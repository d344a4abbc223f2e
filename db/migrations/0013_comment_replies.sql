-- Replies (issue #18): a reply is a comment on the same document that answers another
-- one. It carries no anchor of its own; it sits under its thread, which is the first
-- comment's anchor. Resolving the thread's first comment resolves the conversation.
ALTER TABLE comments ADD COLUMN parent_id TEXT REFERENCES comments(id);
CREATE INDEX comments_by_parent ON comments (parent_id);
