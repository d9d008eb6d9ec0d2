-- SQLite twin of the PostgreSQL migration of the same number.
-- Each person's progress in each module, one row, so My induction and a cohort's grid
-- read it in one query whatever the number of learners. The database keeps it itself
-- (triggers below), in the same transaction as the section read or the attempt that
-- changes it, so no code path can leave it behind. Rows are filled from what exists.
-- A later migration that rebuilds section_progress or quiz_attempts must recreate the
-- triggers.

CREATE TABLE module_progress (
    user_id            TEXT NOT NULL REFERENCES users (id),
    org_id             TEXT NOT NULL REFERENCES organisations (id),
    module_id          TEXT NOT NULL,
    sections_read      BIGINT NOT NULL DEFAULT 0,  -- section_progress rows (any version)
    attempts_started   BIGINT NOT NULL DEFAULT 0,  -- quiz_attempts rows, open or submitted
    attempts_submitted BIGINT NOT NULL DEFAULT 0,
    best_score         BIGINT,                     -- the submitted attempt with the best
    best_total         BIGINT,                     --   score / total
    passed_at          TEXT,                       -- the first pass
    last_active_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, module_id)
);
CREATE INDEX module_progress_by_org ON module_progress (org_id, module_id);

INSERT INTO module_progress (user_id, org_id, module_id, sections_read, attempts_started,
    attempts_submitted, best_score, best_total, passed_at, last_active_at)
SELECT user_id, MIN(org_id), module_id, SUM(sections), SUM(started), SUM(submitted),
       NULL, NULL, MIN(passed_at), MAX(at)
FROM (
    SELECT user_id, org_id, module_id, 1 AS sections, 0 AS started, 0 AS submitted,
           NULL AS passed_at, read_at AS at
    FROM section_progress
    UNION ALL
    SELECT user_id, org_id, module_id, 0, 1, CASE WHEN submitted_at IS NULL THEN 0 ELSE 1 END,
           passed_at, COALESCE(submitted_at, started_at)
    FROM quiz_attempts
) AS activity
GROUP BY user_id, module_id;

UPDATE module_progress SET
    best_score = (SELECT a.score FROM quiz_attempts a
                  WHERE a.user_id = module_progress.user_id AND a.module_id = module_progress.module_id
                    AND a.submitted_at IS NOT NULL AND a.total > 0
                  ORDER BY a.score * 1.0 / a.total DESC, a.submitted_at LIMIT 1),
    best_total = (SELECT a.total FROM quiz_attempts a
                  WHERE a.user_id = module_progress.user_id AND a.module_id = module_progress.module_id
                    AND a.submitted_at IS NOT NULL AND a.total > 0
                  ORDER BY a.score * 1.0 / a.total DESC, a.submitted_at LIMIT 1)
WHERE attempts_submitted > 0;

CREATE TRIGGER section_progress_to_module_progress AFTER INSERT ON section_progress
BEGIN
    INSERT INTO module_progress (user_id, org_id, module_id, sections_read, last_active_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.module_id, 1, NEW.read_at)
    ON CONFLICT (user_id, module_id) DO UPDATE SET
        sections_read = sections_read + 1,
        last_active_at = MAX(last_active_at, excluded.last_active_at);
END;

-- An attempt is opened unsubmitted and submitted later (the next trigger), but one
-- written whole (submitted already) counts in full too.
CREATE TRIGGER quiz_attempts_opened_to_module_progress AFTER INSERT ON quiz_attempts
BEGIN
    INSERT INTO module_progress (user_id, org_id, module_id, attempts_started, attempts_submitted,
        best_score, best_total, passed_at, last_active_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.module_id, 1,
        CASE WHEN NEW.submitted_at IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.submitted_at IS NULL THEN NULL ELSE NEW.score END,
        CASE WHEN NEW.submitted_at IS NULL THEN NULL ELSE NEW.total END,
        NEW.passed_at, COALESCE(NEW.submitted_at, NEW.started_at))
    ON CONFLICT (user_id, module_id) DO UPDATE SET
        attempts_started = attempts_started + 1,
        attempts_submitted = attempts_submitted + excluded.attempts_submitted,
        best_score = CASE WHEN excluded.best_total IS NOT NULL AND (best_total IS NULL
                              OR (excluded.best_total > 0 AND excluded.best_score * best_total > best_score * excluded.best_total))
                          THEN excluded.best_score ELSE best_score END,
        best_total = CASE WHEN excluded.best_total IS NOT NULL AND (best_total IS NULL
                              OR (excluded.best_total > 0 AND excluded.best_score * best_total > best_score * excluded.best_total))
                          THEN excluded.best_total ELSE best_total END,
        passed_at = CASE WHEN excluded.passed_at IS NOT NULL AND (passed_at IS NULL OR excluded.passed_at < passed_at)
                         THEN excluded.passed_at ELSE passed_at END,
        last_active_at = MAX(last_active_at, excluded.last_active_at);
END;

-- Only an open attempt is ever removed (when its module changed before it was submitted).
CREATE TRIGGER quiz_attempts_discarded_to_module_progress AFTER DELETE ON quiz_attempts
BEGIN
    UPDATE module_progress SET attempts_started = attempts_started - 1
    WHERE user_id = OLD.user_id AND module_id = OLD.module_id;
END;

CREATE TRIGGER quiz_attempts_submitted_to_module_progress AFTER UPDATE OF submitted_at ON quiz_attempts
WHEN OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL
BEGIN
    UPDATE module_progress SET
        attempts_submitted = attempts_submitted + 1,
        best_score = CASE WHEN best_total IS NULL OR (NEW.total > 0 AND NEW.score * best_total > best_score * NEW.total)
                          THEN NEW.score ELSE best_score END,
        best_total = CASE WHEN best_total IS NULL OR (NEW.total > 0 AND NEW.score * best_total > best_score * NEW.total)
                          THEN NEW.total ELSE best_total END,
        passed_at = COALESCE(passed_at, NEW.passed_at),
        last_active_at = MAX(last_active_at, NEW.submitted_at)
    WHERE user_id = NEW.user_id AND module_id = NEW.module_id;
END;
