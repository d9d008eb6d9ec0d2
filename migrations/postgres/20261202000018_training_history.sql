-- PostgreSQL twin of the SQLite migration of the same number.
-- History for the inspection evidence pack (`training::evidence`): every version of a
-- training requirement and of a staff record, every role given or taken away, every
-- account closed or reopened, so the organisation's compliance on any past day can be
-- rebuilt as the records stood at the end of that day. The database writes these rows
-- itself (triggers below), so no code path can change a record without leaving its
-- history, and they are append-only (`db::guards`). `seq` orders rows written in the
-- same instant. Existing rows start the history as they are now.
-- A later migration that rebuilds one of these tables must recreate its triggers.

CREATE TABLE training_requirement_history (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    role         TEXT NOT NULL,
    held         BIGINT NOT NULL,   -- 1: given, 0: taken away
    recorded_at  TEXT NOT NULL
);
CREATE INDEX role_history_by_org ON role_history (org_id, recorded_at);

CREATE TABLE account_history (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE FUNCTION esafety_requirement_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO training_requirement_history (requirement_id, org_id, position, name, level, satisfied_by, module_id, document, applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until, retired_at, recorded_at)
    VALUES (NEW.id, NEW.org_id, NEW.position, NEW.name, NEW.level, NEW.satisfied_by, NEW.module_id, NEW.document, NEW.applies_to, NEW.applies_to_values, NEW.first_due, NEW.first_due_days, NEW.first_due_on, NEW.renews, NEW.renew_months, NEW.renew_on, NEW.window_days, NEW.grace_in_post_on, NEW.grace_until, NEW.retired_at, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    RETURN NULL;
END $$;
CREATE TRIGGER training_requirements_history AFTER INSERT OR UPDATE ON training_requirements
    FOR EACH ROW EXECUTE FUNCTION esafety_requirement_history();

CREATE FUNCTION esafety_staff_record_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO staff_record_history (user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, recorded_at)
    VALUES (NEW.user_id, NEW.org_id, NEW.employee_number, NEW.job_title, NEW.department, NEW.start_date, NEW.line_manager_id, NEW.leaving_date, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    RETURN NULL;
END $$;
CREATE TRIGGER staff_records_history AFTER INSERT OR UPDATE ON staff_records
    FOR EACH ROW EXECUTE FUNCTION esafety_staff_record_history();

CREATE FUNCTION esafety_role_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO role_history (user_id, org_id, role, held, recorded_at)
        VALUES (OLD.user_id, OLD.org_id, OLD.role, 0, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    ELSE
        INSERT INTO role_history (user_id, org_id, role, held, recorded_at)
        VALUES (NEW.user_id, NEW.org_id, NEW.role, 1, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER user_roles_history AFTER INSERT OR DELETE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION esafety_role_history();

CREATE FUNCTION esafety_account_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.deactivated_at IS NULL) <> (NEW.deactivated_at IS NULL) THEN
        INSERT INTO account_history (user_id, org_id, active, recorded_at)
        VALUES (NEW.id, NEW.org_id, CASE WHEN NEW.deactivated_at IS NULL THEN 1 ELSE 0 END, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_history_active AFTER UPDATE OF deactivated_at ON users
    FOR EACH ROW EXECUTE FUNCTION esafety_account_history();
