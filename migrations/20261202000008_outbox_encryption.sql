-- Email bodies are now encrypted while queued and cleared once sent (see app/src/mail/seal.rs
-- and outbox.rs), because they hold live sign-in links. Rows written before this release
-- hold those links in plain text: clear the bodies of every email already sent or given up
-- on. An email still queued in plain text is refused by the worker, which clears its bodies
-- and records why (the person can ask for a new link).
UPDATE outbox SET text_body = '', html_body = ''
WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
  AND (text_body NOT LIKE 'v1:%' OR html_body NOT LIKE 'v1:%');
