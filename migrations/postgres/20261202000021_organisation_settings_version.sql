-- PostgreSQL twin of the SQLite migration of the same number.
-- A number that goes up with every change to an organisation's module choices, its own
-- modules or its contacts, so each app server can keep these in memory and know at once,
-- from one column it reads with the person on every page, when its copy is out of date
-- (several servers may share one database). The database bumps it itself, in the same
-- transaction as the change (triggers below), so no code path can forget to.
-- A later migration that rebuilds one of these tables must recreate its triggers.

ALTER TABLE organisations ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION esafety_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE organisations SET settings_version = settings_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.org_id IS DISTINCT FROM OLD.org_id) THEN
        UPDATE organisations SET settings_version = settings_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER module_settings_version AFTER INSERT OR UPDATE OR DELETE ON module_settings
    FOR EACH ROW EXECUTE FUNCTION esafety_settings_version();
CREATE TRIGGER organisation_modules_version AFTER INSERT OR UPDATE OR DELETE ON organisation_modules
    FOR EACH ROW EXECUTE FUNCTION esafety_settings_version();
CREATE TRIGGER organisation_contacts_version AFTER INSERT OR UPDATE OR DELETE ON organisation_contacts
    FOR EACH ROW EXECUTE FUNCTION esafety_settings_version();
