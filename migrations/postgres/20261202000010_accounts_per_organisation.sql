-- PostgreSQL: one account per organisation for an email address. An address was unique
-- across the installation; now it is unique within an organisation, so one person may
-- have an account with each provider they work with, and inviting an address never
-- depends on (or reveals) another organisation's people. Sign-in asks which organisation
-- when one email and password open accounts in several.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;
CREATE UNIQUE INDEX users_by_email ON users (email, org_id);
