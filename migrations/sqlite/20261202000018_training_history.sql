-- SQLite twin of the PostgreSQL migration of the same number.
-- History for the inspection evidence pack (`training::evidence`): every version of a
-- training requirement and of a staff record, every role given or taken away, every
-- account closed or reopened, so the organisation's compliance on any past day can be
-- rebuilt as the records stood at the end of that day. The database writes these rows
-- itself (triggers below), so no code path can change a record without leaving its
-- history, and they are append-only (`db::guards`). `seq` orders rows written in the
-- same instant. Existing rows start the history as they are now.
-- A later migration that rebuilds one of these tables must recreate its triggers.

CREATE TABLE training_requirement_history (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    requirement_id    TEXT NOT NULL,
    org_id            TEXT NOT NULL,
    position          BIGINT NOT NULL,
    name              TEXT NOT NULL,
    level             TEXT NOT NULL,
    satisfied_by      TEXT NOT NULL,
    module_id         TEXT,
    document          TEXT,
    applies_to        TEXT NOT NULL,
    applies_to_values TEXT NOT NULL,
    first_due         TEXT NOT NULL,
    first_due_days    BIGINT,
    first_due_on      TEXT,
    renews            TEXT NOT NULL,
    renew_months      BIGINT,
    renew_on          TEXT,
    window_days       BIGINT,
    grace_in_post_on  TEXT,
    grace_until       TEXT,
    retired_at        TEXT,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX training_requirement_history_by_org ON training_requirement_history (org_id, recorded_at);

CREATE TABLE staff_record_history (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          TEXT NOT NULL,
    org_id           TEXT NOT NULL,
    employee_number  TEXT,
    job_title        TEXT NOT NULL,
    department       TEXT NOT NULL,
    start_date       TEXT,
    line_manager_id  TEXT,
    leaving_date     TEXT,
    recorded_at      TEXT NOT NULL
);
CREATE INDEX staff_record_history_by_org ON staff_record_history (org_id, recorded_at);

CREATE TABLE role_history (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    role         TEXT NOT NULL,
    held         BIGINT NOT NULL,   -- 1: given, 0: taken away
    recorded_at  TEXT NOT NULL
);
CREATE INDEX role_history_by_org ON role_history (org_id, recorded_at);

CREATE TABLE account_history (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    active       BIGINT NOT NULL,   -- 0: deactivated, 1: reactivated
    recorded_at  TEXT NOT NULL
);
CREATE INDEX account_history_by_org ON account_history (org_id, recorded_at);

INSERT INTO training_requirement_history (requirement_id, org_id, position, name, level, satisfied_by, module_id, document, applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until, retired_at, recorded_at)
    SELECT id, org_id, position, name, level, satisfied_by, module_id, document, applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until, retired_at, updated_at FROM training_requirements;
INSERT INTO staff_record_history (user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, recorded_at)
    SELECT user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, updated_at FROM staff_records;
INSERT INTO role_history (user_id, org_id, role, held, recorded_at)
    SELECT user_id, org_id, role, 1, granted_at FROM user_roles;
INSERT INTO account_history (user_id, org_id, active, recorded_at)
    SELECT id, org_id, 0, deactivated_at FROM users WHERE deactivated_at IS NOT NULL;

-- The time format is `db::timestamp`'s: UTC with six decimals, so text order is time order.
CREATE TRIGGER training_requirements_history_insert AFTER INSERT ON training_requirements
BEGIN
    INSERT INTO training_requirement_history (requirement_id, org_id, position, name, level, satisfied_by, module_id, document, applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until, retired_at, recorded_at)
    VALUES (NEW.id, NEW.org_id, NEW.position, NEW.name, NEW.level, NEW.satisfied_by, NEW.module_id, NEW.document, NEW.applies_to, NEW.applies_to_values, NEW.first_due, NEW.first_due_days, NEW.first_due_on, NEW.renews, NEW.renew_months, NEW.renew_on, NEW.window_days, NEW.grace_in_post_on, NEW.grace_until, NEW.retired_at, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER training_requirements_history_update AFTER UPDATE ON training_requirements
BEGIN
    INSERT INTO training_requirement_history (requirement_id, org_id, position, name, level, satisfied_by, module_id, document, applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until, retired_at, recorded_at)
    VALUES (NEW.id, NEW.org_id, NEW.position, NEW.name, NEW.level, NEW.satisfied_by, NEW.module_id, NEW.document, NEW.applies_to, NEW.applies_to_values, NEW.first_due, NEW.first_due_days, NEW.first_due_on, NEW.renews, NEW.renew_months, NEW.renew_on, NEW.window_days, NEW.grace_in_post_on, NEW.grace_until, NEW.retired_at, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER staff_records_history_insert AFTER INSERT ON staff_records
BEGIN
    INSERT INTO staff_record_history (user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, recorded_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.employee_number, NEW.job_title, NEW.department, NEW.start_date, NEW.line_manager_id, NEW.leaving_date, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER staff_records_history_update AFTER UPDATE ON staff_records
BEGIN
    INSERT INTO staff_record_history (user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, recorded_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.employee_number, NEW.job_title, NEW.department, NEW.start_date, NEW.line_manager_id, NEW.leaving_date, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER user_roles_history_insert AFTER INSERT ON user_roles
BEGIN
    INSERT INTO role_history (user_id, org_id, role, held, recorded_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.role, 1, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER user_roles_history_delete AFTER DELETE ON user_roles
BEGIN
    INSERT INTO role_history (user_id, org_id, role, held, recorded_at)
    VALUES (OLD.user_id, OLD.org_id, OLD.role, 0, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
CREATE TRIGGER users_history_active AFTER UPDATE OF deactivated_at ON users
WHEN (OLD.deactivated_at IS NULL) <> (NEW.deactivated_at IS NULL)
BEGIN
    INSERT INTO account_history (user_id, org_id, active, recorded_at)
    VALUES (NEW.id, NEW.org_id, CASE WHEN NEW.deactivated_at IS NULL THEN 1 ELSE 0 END, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
END;
