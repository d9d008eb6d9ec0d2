-- Foundation: organisations, people and their roles, sessions, one-time account links,
-- sign-in throttling, the email outbox and the audit trail.
--
-- This file runs unchanged on SQLite and PostgreSQL, so it keeps to portable SQL:
-- TEXT ids (UUIDs made by the app), TEXT times in one fixed UTC format written by the
-- app (they sort as text), BIGINT counters, and no booleans (a nullable time says more).

-- One provider. Every other record names the organisation it belongs to.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A person with an account. People are never deleted: deactivation keeps their history.
-- Email is stored lower-case and is unique across the installation, so that signing in
-- needs only an email and a password.
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL UNIQUE,
    full_name       TEXT NOT NULL,
    password_hash   TEXT,            -- NULL until an invitation is accepted
    created_at      TEXT NOT NULL,
    deactivated_at  TEXT
);
CREATE INDEX users_by_org ON users (org_id, full_name);

-- Roles: learner, tutor, staff, manager, people, dsl, admin. A person may hold several.
CREATE TABLE user_roles (
    user_id     TEXT NOT NULL REFERENCES users (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    role        TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Emailed single-use links: password resets and invitations. Only a keyed hash of the
-- token is stored, so a copy of the database cannot be used to take over accounts.
CREATE TABLE account_links (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL,       -- 'reset' or 'invitation'
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_links_by_user ON account_links (user_id, purpose);

-- Failed sign-ins, counted per account and per address to slow down guessing.
CREATE TABLE sign_in_failures (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    address     TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Browser sessions (tower-sessions). expires_at is Unix seconds.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    user_id     TEXT,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Every email is written here first, in the same transaction as the change that causes
-- it; a worker sends it. claimed_until lets several app servers share the work.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    org_id           TEXT REFERENCES organisations (id),
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    sent_at          TEXT,
    failed_at        TEXT,            -- gave up after too many attempts
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);

-- Who did what to whom, for administrators and inspectors.
CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    actor_id    TEXT REFERENCES users (id),
    action      TEXT NOT NULL,
    subject_id  TEXT,
    detail      TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, at);
