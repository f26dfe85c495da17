-- Issue 10: sessions held on the server, so logout, disabling an account or changing its role ends
-- them at once; wall displays bound to a station or to the district; the first administrator's
-- one-time setup link.

-- Wall screens. A token opens /wall?display=<token> once and becomes a display session; only its
-- hash is kept. station_id NULL is a district wall, chosen explicitly when the screen is made.
CREATE TABLE displays (
  id           serial PRIMARY KEY,
  name         text NOT NULL,
  station_id   integer REFERENCES stations (id),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE sessions (
  -- HMAC of the cookie's random token: the database never holds a usable session.
  id           text PRIMARY KEY,
  account_id   integer REFERENCES accounts (id) ON DELETE CASCADE,
  -- A display session: its screen (NULL: the deployment's DISPLAY_TOKEN, a district wall).
  display_id   integer REFERENCES displays (id) ON DELETE CASCADE,
  role         text NOT NULL,
  station_id   integer REFERENCES stations (id),
  name         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Absolute: staff 12 h, walls 30 days; never extended.
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  ip           text,
  -- A district wall opened with DISPLAY_TOKEN: a fingerprint of that token, so rotating it ends them.
  token_fp     text,
  CHECK (account_id IS NOT NULL OR role = 'display')
);
CREATE INDEX sessions_account ON sessions (account_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_display ON sessions (display_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);

-- The one-time link that creates the first administrator of an empty production database.
CREATE TABLE setup_tokens (
  token_hash text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
