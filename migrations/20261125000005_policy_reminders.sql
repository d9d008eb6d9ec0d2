-- Reminders to sign a policy: one row per person, policy and day, so nobody is reminded
-- twice on the same day however often the button is pressed.
CREATE TABLE policy_reminders (
    user_id   TEXT NOT NULL REFERENCES users (id),
    org_id    TEXT NOT NULL REFERENCES organisations (id),
    kind      TEXT NOT NULL,
    sent_on   TEXT NOT NULL,     -- a date, 2026-11-25 (UTC)
    sent_by   TEXT REFERENCES users (id),
    PRIMARY KEY (user_id, kind, sent_on)
);
