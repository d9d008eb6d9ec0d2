-- Staff training (CPD): the requirements each organisation sets, and the completions that
-- meet them. Status is never stored: it is computed from these dates (see
-- `app::training::rules`). Portable SQL as everywhere: TEXT ids, TEXT days (2026-12-02)
-- and times, BIGINT numbers.

-- An organisation's settings for staff training; no row means the defaults.
CREATE TABLE training_settings (
    org_id         TEXT PRIMARY KEY REFERENCES organisations (id),
    due_soon_days  BIGINT NOT NULL CHECK (due_soon_days BETWEEN 0 AND 365),
    updated_at     TEXT NOT NULL,
    updated_by     TEXT REFERENCES users (id)
);

-- A requirement, as the People department sets it. Each choice is a kind and its own
-- columns (the rest NULL), so the rule reads plainly in SQL as well as in the app.
CREATE TABLE training_requirements (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organisations (id),
    default_key        TEXT,            -- the built-in default it started as; NULL: the organisation's own
    position           BIGINT NOT NULL, -- order shown
    name               TEXT NOT NULL,
    level              TEXT NOT NULL,   -- a local label ("Level 3"), may be empty
    satisfied_by       TEXT NOT NULL CHECK (satisfied_by IN
                           ('module', 'any-module', 'external-course', 'briefing', 'document')),
    module_id          TEXT,            -- with 'module'
    document           TEXT,            -- with 'document'
    applies_to         TEXT NOT NULL CHECK (applies_to IN
                           ('all-staff', 'roles', 'departments', 'job-titles')),
    applies_to_values  TEXT NOT NULL,   -- JSON array of role names, departments or job titles
    first_due          TEXT NOT NULL CHECK (first_due IN ('days-after-start', 'by-date')),
    first_due_days     BIGINT,          -- with 'days-after-start'
    first_due_on       TEXT,            -- with 'by-date': a day
    renews             TEXT NOT NULL CHECK (renews IN
                           ('never', 'months-after-completion', 'months-after-due-date', 'every-year-on')),
    renew_months       BIGINT,          -- with either 'months-...'
    renew_on           TEXT,            -- with 'every-year-on': MM-DD, e.g. 09-30
    window_days        BIGINT,          -- days before a due date that count for it (schedules only)
    grace_in_post_on   TEXT,            -- people to whom it applied on this day...
    grace_until        TEXT,            -- ...are not due before this one
    created_at         TEXT NOT NULL,
    created_by         TEXT REFERENCES users (id),
    updated_at         TEXT NOT NULL,
    updated_by         TEXT REFERENCES users (id),
    retired_at         TEXT,            -- no longer in force; kept, as completions refer to it
    UNIQUE (org_id, default_key),
    CHECK (satisfied_by <> 'module' OR module_id IS NOT NULL),
    CHECK (satisfied_by <> 'document' OR document IS NOT NULL),
    CHECK (first_due <> 'days-after-start' OR first_due_days IS NOT NULL),
    CHECK (first_due <> 'by-date' OR first_due_on IS NOT NULL),
    CHECK (renews NOT IN ('months-after-completion', 'months-after-due-date') OR renew_months IS NOT NULL),
    CHECK (renews <> 'every-year-on' OR renew_on IS NOT NULL),
    CHECK ((grace_in_post_on IS NULL) = (grace_until IS NULL))
);
CREATE INDEX training_requirements_by_org ON training_requirements (org_id, position);

-- Completions, append-only (the database refuses UPDATE and DELETE, see `db::guards`):
-- every change is a new row saying who recorded it, when, why, from what and on what
-- evidence. A correction points at the row it corrects (`supersedes`) and carries the new
-- day, or none to withdraw it; a row stands unless a later one supersedes it. A passed
-- module counts by itself from `quiz_attempts`, with no row here.
CREATE TABLE training_completions (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    requirement_id  TEXT NOT NULL REFERENCES training_requirements (id),
    completed_on    TEXT,           -- a day; NULL only on a correction that withdraws a row
    source          TEXT NOT NULL CHECK (source IN
                        ('module-pass', 'external-course', 'briefing', 'acknowledgement', 'correction')),
    reference       TEXT,           -- what it rests on: an attempt, a course record, a briefing, a policy version, a certificate number
    supersedes      TEXT UNIQUE REFERENCES training_completions (id),
    reason          TEXT,           -- why; required on a correction
    recorded_by     TEXT REFERENCES users (id),  -- NULL: recorded by the app itself
    recorded_at     TEXT NOT NULL,
    CHECK (completed_on IS NOT NULL OR source = 'correction'),
    CHECK ((source = 'correction') = (supersedes IS NOT NULL)),
    CHECK (source <> 'correction' OR (reason IS NOT NULL AND TRIM(reason) <> '' AND recorded_by IS NOT NULL))
);
CREATE INDEX training_completions_by_person
    ON training_completions (org_id, user_id, requirement_id);

-- Organisations that already exist start with the same defaults as new ones (a new one
-- gets them from `training::queries::seed_defaults`; `server/tests/api/training.rs`
-- checks the two agree). Their ids are the organisation's id and the default's key.
INSERT INTO training_requirements
    (id, org_id, default_key, position, name, level, satisfied_by, module_id, document,
     applies_to, applies_to_values, first_due, first_due_days, first_due_on,
     renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until,
     created_at, created_by, updated_at, updated_by, retired_at)
SELECT o.id || ':' || d.default_key, o.id, d.default_key, d.position, d.name, d.level,
       d.satisfied_by, d.module_id, NULL, d.applies_to, d.applies_to_values,
       'days-after-start', d.first_due_days, NULL, d.renews, d.renew_months, d.renew_on,
       d.window_days, NULL, NULL, o.created_at, NULL, o.created_at, NULL, NULL
FROM organisations o
CROSS JOIN (
    -- Typed in the first row: PostgreSQL takes a UNION's column types from its rows in turn.
    SELECT CAST('staff-online-safety' AS TEXT) AS default_key, CAST(1 AS BIGINT) AS position,
           CAST('Staff online safety training' AS TEXT) AS name,
           CAST('Induction' AS TEXT) AS level, CAST('module' AS TEXT) AS satisfied_by,
           CAST('staff-online-safety' AS TEXT) AS module_id,
           CAST('all-staff' AS TEXT) AS applies_to, CAST('[]' AS TEXT) AS applies_to_values,
           CAST(28 AS BIGINT) AS first_due_days, CAST('never' AS TEXT) AS renews,
           CAST(NULL AS BIGINT) AS renew_months, CAST(NULL AS TEXT) AS renew_on,
           CAST(NULL AS BIGINT) AS window_days
    UNION ALL
    SELECT 'safeguarding-update', 2, 'Annual safeguarding and online safety update',
           'Level 2', 'briefing', NULL, 'all-staff', '[]', 365,
           'every-year-on', NULL, '09-30', 91
    UNION ALL
    SELECT 'dsl-training', 3, 'Designated Safeguarding Lead training', 'Level 3',
           'external-course', NULL, 'roles', '["dsl"]', 90,
           'months-after-completion', 24, NULL, NULL
    UNION ALL
    SELECT 'dsl-update', 4, 'DSL knowledge update', 'Level 3', 'briefing', NULL,
           'roles', '["dsl"]', 365, 'months-after-completion', 12, NULL, NULL
    UNION ALL
    SELECT 'prevent-awareness', 5, 'Prevent awareness', 'Awareness', 'external-course',
           NULL, 'all-staff', '[]', 28, 'months-after-completion', 24, NULL, NULL
) d;
