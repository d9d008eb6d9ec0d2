-- The one rate limiter (app/src/limits.rs): a counter per limit, subject and fixed window,
-- taken with one atomic upsert so that parallel requests cannot walk past a limit.
-- limit_key is the limit's name and a hash of the subject (no address in the clear);
-- window_start is Unix seconds.
CREATE TABLE rate_limits (
    limit_key     TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL,
    PRIMARY KEY (limit_key, window_start)
);
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);

-- Failed sign-ins are now counted by the limiter (per account and address pair, per
-- address, per account); the old table kept an address and an email per attempt.
DROP TABLE sign_in_failures;
