-- SQLite: one account per organisation for an email address (see the PostgreSQL twin).
-- SQLite cannot drop a column's UNIQUE constraint, so `users` is rebuilt with the same
-- columns and rows. `app::db::migrate` runs SQLite migrations with foreign keys off (as
-- SQLite's ALTER TABLE guide asks) and checks every reference afterwards.
CREATE TABLE users_rebuilt (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    password_hash   TEXT,
    created_at      TEXT NOT NULL,
    deactivated_at  TEXT,
    date_of_birth   TEXT
);
INSERT INTO users_rebuilt (id, org_id, email, full_name, password_hash, created_at, deactivated_at, date_of_birth)
    SELECT id, org_id, email, full_name, password_hash, created_at, deactivated_at, date_of_birth FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE INDEX users_by_org ON users (org_id, full_name);
CREATE UNIQUE INDEX users_by_email ON users (email, org_id);
