-- Devices and gateways that post positions (POST /api/v1/positions). Only a hash of the token is kept.
CREATE TABLE device_tokens (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- NULL: a gateway of another system that may report any unit.
  unit_id    integer REFERENCES units (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- When an event must be handled by; the wall counts what is past it (overdue).
ALTER TABLE events ADD COLUMN deadline_at timestamptz;
CREATE INDEX events_open_deadline ON events (deadline_at) WHERE state NOT IN ('closed', 'returned', 'merged');
