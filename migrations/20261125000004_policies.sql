-- Acceptable Use Policies: numbered versions per organisation and kind (learner, staff),
-- and signatures. A published version's text never changes, and a signature is never
-- changed or deleted: the database itself refuses it (triggers, installed by the app for
-- each database at start, see `db::install_guards`, because trigger syntax differs).

CREATE TABLE policy_versions (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    kind             TEXT NOT NULL,        -- 'learner' or 'staff'
    number           BIGINT NOT NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,        -- Markdown, checked like all content
    what_changed     TEXT NOT NULL,
    effective_from   TEXT NOT NULL,        -- a date, 2026-11-25
    sign_again       TEXT NOT NULL,        -- 'everyone' or 'new-signers-only'
    created_at       TEXT NOT NULL,
    created_by       TEXT REFERENCES users (id),
    published_at     TEXT,                 -- NULL: a draft, still editable
    published_by     TEXT REFERENCES users (id),
    UNIQUE (org_id, kind, number)
);

CREATE TABLE policy_signatures (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    version_id    TEXT NOT NULL REFERENCES policy_versions (id),
    text_sha256   TEXT NOT NULL,           -- of the exact Markdown text signed
    typed_name    TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    address       TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    UNIQUE (user_id, version_id)
);
CREATE INDEX policy_signatures_by_org ON policy_signatures (org_id, version_id);
