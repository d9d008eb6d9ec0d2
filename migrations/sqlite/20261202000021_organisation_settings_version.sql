-- SQLite twin of the PostgreSQL migration of the same number.
-- A number that goes up with every change to an organisation's module choices, its own
-- modules or its contacts, so each app server can keep these in memory and know at once,
-- from one column it reads with the person on every page, when its copy is out of date
-- (several servers may share one database). The database bumps it itself, in the same
-- transaction as the change (triggers below), so no code path can forget to.
-- A later migration that rebuilds one of these tables must recreate its triggers.

ALTER TABLE organisations ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER module_settings_version_insert AFTER INSERT ON module_settings
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER module_settings_version_update AFTER UPDATE ON module_settings
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER module_settings_version_delete AFTER DELETE ON module_settings
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = OLD.org_id; END;

CREATE TRIGGER organisation_modules_version_insert AFTER INSERT ON organisation_modules
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER organisation_modules_version_update AFTER UPDATE ON organisation_modules
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER organisation_modules_version_delete AFTER DELETE ON organisation_modules
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = OLD.org_id; END;

CREATE TRIGGER organisation_contacts_version_insert AFTER INSERT ON organisation_contacts
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER organisation_contacts_version_update AFTER UPDATE ON organisation_contacts
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id IN (OLD.org_id, NEW.org_id); END;
CREATE TRIGGER organisation_contacts_version_delete AFTER DELETE ON organisation_contacts
BEGIN UPDATE organisations SET settings_version = settings_version + 1 WHERE id = OLD.org_id; END;
