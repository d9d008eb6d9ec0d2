-- Learners under 18: a parent or carer acknowledges the learner policy too, through an
-- emailed single-use link or on paper (recorded by a tutor). And re-signing on a schedule.

-- A learner's date of birth, 2009-05-14, to know who is under 18. NULL: not recorded.
ALTER TABLE users ADD COLUMN date_of_birth TEXT;

-- Emailed links for a parent or carer. Only a keyed hash of the token is stored, as for
-- account links; a link works once, for 14 days, for the version current when it was sent.
CREATE TABLE parent_links (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    learner_id   TEXT NOT NULL REFERENCES users (id),
    version_id   TEXT NOT NULL REFERENCES policy_versions (id),
    email        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX parent_links_by_learner ON parent_links (learner_id);

-- Acknowledgements, like signatures, are only ever inserted (triggers refuse the rest).
CREATE TABLE parent_acknowledgements (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    learner_id      TEXT NOT NULL REFERENCES users (id),
    version_id      TEXT NOT NULL REFERENCES policy_versions (id),
    text_sha256     TEXT NOT NULL,
    parent_name     TEXT NOT NULL,
    relationship    TEXT NOT NULL,
    method          TEXT NOT NULL,        -- 'email' or 'paper'
    acknowledged_on TEXT NOT NULL,        -- a date, 2026-11-25: the day signed (paper: the form's date)
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT REFERENCES users (id),   -- paper: the member of staff
    scanned         TEXT,                 -- paper: 'yes' or 'no'
    link_id         TEXT REFERENCES parent_links (id),
    address         TEXT,                 -- email: where the parent signed from
    user_agent      TEXT
);
CREATE INDEX parent_acknowledgements_by_learner ON parent_acknowledgements (org_id, learner_id);

-- An organisation may ask everyone to sign again every N months from their last
-- signature. NULL: only when a new version asks for it.
CREATE TABLE policy_settings (
    org_id               TEXT PRIMARY KEY REFERENCES organisations (id),
    resign_every_months  BIGINT,
    updated_at           TEXT NOT NULL,
    updated_by           TEXT REFERENCES users (id)
);

-- Signing on a schedule means signing the same version again, so a signature is now
-- unique per person, version and round (0 the first time, 1 the first renewal...).
-- SQLite cannot drop a constraint, so the table is rebuilt; dropping a table fires no
-- triggers, and `db::guards` puts them back on the new table at start.
CREATE TABLE policy_signatures_new (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    version_id    TEXT NOT NULL REFERENCES policy_versions (id),
    round         BIGINT NOT NULL DEFAULT 0,
    text_sha256   TEXT NOT NULL,
    typed_name    TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    address       TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    UNIQUE (user_id, version_id, round)
);
INSERT INTO policy_signatures_new (id, org_id, user_id, version_id, round, text_sha256,
    typed_name, signed_at, address, user_agent)
SELECT id, org_id, user_id, version_id, 0, text_sha256, typed_name, signed_at, address, user_agent
FROM policy_signatures;
DROP TABLE policy_signatures;
ALTER TABLE policy_signatures_new RENAME TO policy_signatures;
CREATE INDEX policy_signatures_by_org ON policy_signatures (org_id, version_id);
