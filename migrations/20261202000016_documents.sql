-- Documents to read and acknowledge ("Keeping Children Safe in Education, Part one"): an
-- organisation's documents, each published in numbered editions. An edition is a row of
-- `policy_versions` (drafts, publishing and the append-only guard are the policies' own)
-- whose kind is 'document:' followed by the document's id, so each document numbers its
-- editions from 1 under the existing UNIQUE (org_id, kind, number). An acknowledgement is
-- a row of `policy_signatures` (append-only, with the SHA-256 of the exact text read).
-- The Acceptable Use Policies only ever read the kinds 'learner' and 'staff'.

CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    slug        TEXT NOT NULL,          -- the short key in its address: /documents/kcsie-part-one
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    UNIQUE (org_id, slug)
);

