-- The closed loop (issue 4; S1, S9, S12, S13): taxonomy and time limits as data, the working
-- calendar, per-source API keys, routing, deadlines, soft locks, supervision notices, photos,
-- and the periodic statistics of systems that cannot integrate.

-- Categories and sub-categories (parent_code set). Codes of sub-categories are '<parent>.<code>'.
-- department_code names departments.code; not a foreign key so a deployment may seed its
-- departments after the taxonomy. NULL: the station coordinates it.
CREATE TABLE categories (
  code            text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+(\.[a-z0-9_]+)?$'),
  parent_code     text REFERENCES categories (code),
  label           text NOT NULL,
  department_code text,
  severity        text NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'critical')),
  sort            integer NOT NULL DEFAULT 0,
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_code IS NULL OR code LIKE parent_code || '.%')
);

-- Time limits in working days; the most specific row wins: (category, severity) > (category) >
-- (severity) > the default row. Past the limit: yellow card; past the red limit: red card (S13).
CREATE TABLE time_limits (
  id            serial PRIMARY KEY,
  category_code text REFERENCES categories (code) ON DELETE CASCADE,
  severity      text CHECK (severity IN ('low', 'normal', 'high', 'critical')),
  accept_yellow smallint NOT NULL CHECK (accept_yellow >= 0),
  accept_red    smallint NOT NULL,
  handle_yellow smallint NOT NULL CHECK (handle_yellow >= 0),
  handle_red    smallint NOT NULL,
  CHECK (accept_red >= accept_yellow AND handle_red >= handle_yellow),
  UNIQUE NULLS NOT DISTINCT (category_code, severity)
);
-- Defaults as grid systems in use set them: accept within 1 / 2, handle within 5 / 10 working days.
INSERT INTO time_limits (accept_yellow, accept_red, handle_yellow, handle_red) VALUES (1, 2, 5, 10);

-- The working calendar: holidays on weekdays and make-up working days on weekends (调休).
CREATE TABLE holidays (
  day  date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name text NOT NULL
);
-- 2026, as published by the State Council (国办发明电〔2025〕7号). Later years: the admin page.
INSERT INTO holidays (day, kind, name) VALUES
  ('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休'),
  ('2026-02-14', 'workday', '春节调休'),
  ('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休'),
  ('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'), ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'), ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'), ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休'),
  ('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'), ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休'),
  ('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'), ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'), ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'), ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休');

-- Systems that report events (S9). Only a hash of each key is kept.
CREATE TABLE api_keys (
  id         serial PRIMARY KEY,
  source     text NOT NULL,
  name       text NOT NULL,
  key_hash   text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

ALTER TABLE events
  ADD COLUMN request_hash        text,
  ADD COLUMN external_id         text,
  ADD COLUMN occurred_at         timestamptz,
  ADD COLUMN address             text,
  ADD COLUMN placement           text NOT NULL DEFAULT 'point' CHECK (placement IN ('point', 'village', 'none')),
  ADD COLUMN reporter_name       text,
  ADD COLUMN reporter_phone      text,
  ADD COLUMN reported_by_citizen boolean NOT NULL DEFAULT false,
  ADD COLUMN photos              text[] NOT NULL DEFAULT '{}',
  ADD COLUMN department_code     text,
  ADD COLUMN accepted_at         timestamptz,
  ADD COLUMN handled_at          timestamptz,
  ADD COLUMN closed_at           timestamptz,
  ADD COLUMN accept_due_at       timestamptz,
  ADD COLUMN accept_red_at       timestamptz,
  ADD COLUMN handle_due_at       timestamptz,
  ADD COLUMN handle_red_at       timestamptz,
  -- The current stage's limits (deadline_at from 005 is the yellow one), NULL when nothing is owed.
  ADD COLUMN red_at              timestamptz,
  -- The card raised in the current stage; raising it is what sends the supervision notice, once.
  ADD COLUMN card                text NOT NULL DEFAULT 'none' CHECK (card IN ('none', 'yellow', 'red')),
  ADD COLUMN duplicate_of        bigint REFERENCES events (id),
  ADD COLUMN merged_into         bigint REFERENCES events (id),
  ADD COLUMN locked_by           integer REFERENCES accounts (id),
  ADD COLUMN locked_at           timestamptz,
  ADD COLUMN version             integer NOT NULL DEFAULT 1;
CREATE INDEX events_open_category_time ON events (category, reported_at) WHERE state NOT IN ('closed', 'returned', 'merged', 'rated');
CREATE INDEX events_department_open ON events (department_code) WHERE state NOT IN ('closed', 'returned', 'merged', 'rated');
CREATE INDEX events_open_red ON events (red_at) WHERE red_at IS NOT NULL;

-- A retried action (same request key) returns its first result instead of acting twice.
ALTER TABLE event_log ADD COLUMN action text, ADD COLUMN request_key text, ADD COLUMN actor_name text;
CREATE UNIQUE INDEX event_log_request ON event_log (event_id, request_key) WHERE request_key IS NOT NULL;

-- Joint remediation (S12): one sub-task per department when the station coordinates.
CREATE TABLE event_tasks (
  id              bigserial PRIMARY KEY,
  event_id        bigint NOT NULL REFERENCES events (id),
  department_code text NOT NULL,
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
  note            text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  done_at         timestamptz,
  done_by         integer REFERENCES accounts (id),
  UNIQUE (event_id, department_code)
);

-- Notices to staff (S13 supervision: yellow cards to the deputy chief, red also to the chief).
CREATE TABLE notifications (
  id         bigserial PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id),
  kind       text NOT NULL,
  event_id   bigint REFERENCES events (id),
  title      text NOT NULL,
  body       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz,
  UNIQUE (account_id, kind, event_id)
);
CREATE INDEX notifications_unread ON notifications (account_id, created_at) WHERE read_at IS NULL;

-- Photos by content hash; the bytes live in DATA_DIR/photos, outside the web root.
CREATE TABLE photos (
  id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes       integer NOT NULL,
  uploaded_by integer REFERENCES accounts (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- Periodic statistics from systems not yet integrated (S9). Re-uploading a period replaces its rows.
CREATE TABLE source_stats (
  source      text NOT NULL,
  day         date NOT NULL,
  category    text NOT NULL REFERENCES categories (code),
  region_code text NOT NULL REFERENCES regions (code),
  count       integer NOT NULL CHECK (count >= 0),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, day, category, region_code)
);
