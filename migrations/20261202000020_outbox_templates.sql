-- An email may be queued as a template's name and its values, and written when it is sent
-- (see app/src/mail/mod.rs, Draft): the daily reminder run queues a hundred thousand at
-- once and the outbox worker has the time to write them. NULL: the bodies were written
-- when queued, as before. With a template, text_body holds the sealed values as JSON and
-- html_body is empty; both are cleared once sent, as for every email.
ALTER TABLE outbox ADD COLUMN template TEXT;
