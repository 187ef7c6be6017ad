-- A version for each facility's registry entry, so that an admin's change is applied to
-- the entry it was made against (optimistic concurrency, as reports, templates and
-- e-examinations have). Before it, a change read the entry, merged the fields sent and
-- wrote the whole entry back: two admins changing different fields of one facility at
-- the same moment lost one change without a word. Now each write names the version it
-- merged onto and bumps it; a write that finds another version changes nothing, and the
-- service merges again onto the new entry (or answers 412 to a client that named a
-- version with If-Match).
ALTER TABLE facility ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
