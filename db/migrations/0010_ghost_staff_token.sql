-- A Ghost target's second secret, sealed like `secret`: a staff user's Staff access
-- token. Ghost refuses staff-user (bio) edits made with an integration's Admin API key
-- (501 Not Implemented), so bios need this; articles keep using the Admin API key.
ALTER TABLE publish_targets ADD COLUMN staff_secret BLOB;
