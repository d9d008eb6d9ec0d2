-- Cohorts: a group of learners with one or more tutors. Progress belongs to the learner
-- (module_progress), never to the cohort, so a learner who moves keeps it all; the
-- memberships are kept with the day they started and ended, as the cohort history.
-- Same portable SQL as the foundation.

-- How many days after their start date a learner's induction is due (the organisation's
-- choice; 28 unless changed).
ALTER TABLE organisations ADD COLUMN induction_days BIGINT NOT NULL DEFAULT 28;

CREATE TABLE cohorts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    name        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,            -- calendar days, like 2026-09-01
    ends_on     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id),
    UNIQUE (org_id, name)
);

-- Who teaches a cohort: what a tutor sees follows these rows.
CREATE TABLE cohort_tutors (
    cohort_id  TEXT NOT NULL REFERENCES cohorts (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    added_at   TEXT NOT NULL,
    added_by   TEXT REFERENCES users (id),
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_tutors_by_tutor ON cohort_tutors (user_id);

-- A learner's time in a cohort; left_at is NULL while they are in it. A learner is in one
-- cohort at a time; moving ends one row and starts another.
CREATE TABLE cohort_learners (
    cohort_id  TEXT NOT NULL REFERENCES cohorts (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    joined_at  TEXT NOT NULL,
    left_at    TEXT,
    added_by   TEXT REFERENCES users (id),
    PRIMARY KEY (cohort_id, user_id, joined_at)
);
CREATE UNIQUE INDEX cohort_learners_one_current ON cohort_learners (user_id) WHERE left_at IS NULL;
CREATE INDEX cohort_learners_by_cohort ON cohort_learners (cohort_id, left_at);

-- What the provider records about a learner's programme: their start date, the day their
-- induction is due (induction_days later, kept as a day so the grid filters on it in
-- SQL) and where they are in it.
CREATE TABLE learner_records (
    user_id     TEXT PRIMARY KEY REFERENCES users (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    start_on    TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',  -- active, break, withdrawn, completed
    updated_at  TEXT NOT NULL,
    updated_by  TEXT REFERENCES users (id)
);
