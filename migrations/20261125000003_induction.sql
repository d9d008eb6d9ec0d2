-- Induction modules: each organisation's choices, learners' reading progress, quiz
-- attempts and certificates. Modules themselves are content files (built in) or rows of
-- organisation_modules (added by an organisation's administrator); both are checked by the
-- same rules before use. Same portable SQL as the foundation.

-- An organisation's own choices about a module: switched off or on, and its pass mark.
-- No row means on, with the module's own pass mark.
CREATE TABLE module_settings (
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    module_id        TEXT NOT NULL,
    switched_off_at  TEXT,            -- NULL: the module is on
    pass_mark        BIGINT,          -- NULL: the module's own pass mark
    updated_at       TEXT NOT NULL,
    updated_by       TEXT REFERENCES users (id),
    PRIMARY KEY (org_id, module_id)
);

-- A module an organisation wrote itself, kept as the same two texts as a content folder.
CREATE TABLE organisation_modules (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    module_id    TEXT NOT NULL,
    module_text  TEXT NOT NULL,
    quiz_text    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT REFERENCES users (id),
    PRIMARY KEY (org_id, module_id)
);

-- Which sections of a module a person has read, so they can stop and come back.
CREATE TABLE section_progress (
    user_id     TEXT NOT NULL REFERENCES users (id),
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    module_id   TEXT NOT NULL,
    section_id  TEXT NOT NULL,
    read_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, module_id, section_id)
);

-- One attempt at a module's quiz. It is opened when the quiz is shown (with the option
-- order shuffled for this attempt) and submitted once; submitted attempts are kept.
-- option_order and answers are JSON written by the app.
CREATE TABLE quiz_attempts (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    module_id       TEXT NOT NULL,
    module_version  BIGINT NOT NULL,
    option_order    TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    submitted_at    TEXT,
    answers         TEXT,
    score           BIGINT,
    total           BIGINT,
    pass_mark       BIGINT,
    passed_at       TEXT              -- set when this attempt reached the pass mark
);
CREATE INDEX quiz_attempts_by_person ON quiz_attempts (user_id, module_id, started_at);

-- A certificate for passing a module: the first pass issues it. The code is public
-- (printed on the certificate) and /verify/CODE shows only the module, the date and the
-- holder's first name and initial, copied here when it was issued.
CREATE TABLE certificates (
    code          TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    module_id     TEXT NOT NULL,
    module_title  TEXT NOT NULL,
    attempt_id    TEXT NOT NULL UNIQUE REFERENCES quiz_attempts (id),
    holder_name   TEXT NOT NULL,
    score         BIGINT NOT NULL,
    total         BIGINT NOT NULL,
    issued_at     TEXT NOT NULL,
    UNIQUE (user_id, module_id)
);
