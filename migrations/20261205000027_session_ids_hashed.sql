-- Sessions are now stored under the SHA-256 of their id, never the id itself, so a copy
-- of the database holds no cookie that signs anybody in. Rows stored under a plain id
-- can no longer be found; they are removed, and everybody signs in once more.
DELETE FROM sessions;
