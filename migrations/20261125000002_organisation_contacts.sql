-- An organisation's own contacts, shown at the top of its Safe Internet page (and, later,
-- in every module's "get help" box). One row per organisation, edited by its
-- administrator or DSL. Policy links are stored one per line as `title | url`.
CREATE TABLE organisation_contacts (
    org_id         TEXT PRIMARY KEY REFERENCES organisations (id),
    dsl_name       TEXT NOT NULL,
    dsl_phone      TEXT NOT NULL,
    dsl_email      TEXT NOT NULL,
    raise_concern  TEXT NOT NULL,
    policy_links   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT REFERENCES users (id)
);
