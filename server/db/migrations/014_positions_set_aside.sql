-- Issue 11: positions PostgreSQL refuses (a value its column cannot hold). The history writer
-- keeps them here instead of retrying them with every flush, which held back every other unit's
-- history. raw is the accepted position as the writer had it; error is the SQLSTATE and message.
-- The retention job (server/jobs/retention.ts) empties it after POSITIONS_KEEP_DAYS, as positions.
CREATE TABLE positions_set_aside (
  raw   jsonb NOT NULL,
  error text NOT NULL,
  at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX positions_set_aside_at ON positions_set_aside (at);
