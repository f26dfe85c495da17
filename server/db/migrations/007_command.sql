-- Command actions (issue 5; S10, S11, S12): joint dispatch, emergency and regular consultations,
-- joint inspections and key periods.

-- Joint-handling rules: the forces (department codes, or 'grid' for the full-time gridders) an
-- event of a category needs on scene. Seeded from lib/command/joint; the administrator edits them.
CREATE TABLE joint_rules (
  category_code text PRIMARY KEY REFERENCES categories (code) ON DELETE CASCADE,
  forces        text[] NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A click is one request key: the first answer is kept and a retry or double click gets it back.
CREATE TABLE command_requests (
  request_key text PRIMARY KEY,
  account_id  integer REFERENCES accounts (id),
  kind        text NOT NULL,
  result      jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE dispatches
  ADD COLUMN origin          geometry(Point, 4326),
  ADD COLUMN distance_m      integer,
  ADD COLUMN eta_s           integer,
  ADD COLUMN created_name    text,
  ADD COLUMN ack_due_at      timestamptz NOT NULL DEFAULT now() + interval '2 minutes',
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN en_route_at     timestamptz,
  ADD COLUMN on_scene_at     timestamptz,
  ADD COLUMN ended_at        timestamptz,
  ADD COLUMN flagged_at      timestamptz,
  ADD COLUMN replacement     jsonb,
  ADD COLUMN decision_id     bigint,
  ADD COLUMN version         integer NOT NULL DEFAULT 1;
-- One active dispatch of a unit to an event: two screens clicking at once cannot make a second.
CREATE UNIQUE INDEX dispatches_one_active_per_event_unit ON dispatches (event_id, unit_id)
  WHERE state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene');
CREATE INDEX dispatches_ack_due ON dispatches (ack_due_at) WHERE state = 'dispatched' AND flagged_at IS NULL;
CREATE INDEX dispatches_active ON dispatches (state) WHERE state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene');

-- Every step of a dispatch, append-only like event_log.
CREATE TABLE dispatch_log (
  id          bigserial PRIMARY KEY,
  dispatch_id bigint NOT NULL REFERENCES dispatches (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    integer REFERENCES accounts (id),
  actor_name  text,
  from_state  text,
  to_state    text NOT NULL,
  step        text NOT NULL,
  note        text,
  request_key text,
  UNIQUE (dispatch_id, request_key)
);
CREATE TRIGGER dispatch_log_append_only BEFORE UPDATE OR DELETE ON dispatch_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Consultations: 'scheduled' (a regular meeting not yet held), 'open', 'closed'.
ALTER TABLE consultations
  ADD COLUMN called_name text,
  ADD COLUMN agenda      jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN summary     text,
  ADD COLUMN version     integer NOT NULL DEFAULT 1,
  ADD CONSTRAINT consultations_state CHECK (state IN ('scheduled', 'open', 'closed'));
CREATE INDEX consultations_station_open ON consultations (station_id) WHERE state <> 'closed';
CREATE INDEX consultation_events_event ON consultation_events (event_id);

-- Invitees by rule (S11): people with or without an account, or a department as such (on call).
DROP TABLE consultation_participants;
CREATE TABLE consultation_invitees (
  id              bigserial PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  person_id       integer REFERENCES people (id),
  account_id      integer REFERENCES accounts (id),
  department_code text,
  name            text NOT NULL,
  role            text NOT NULL,
  reason          text NOT NULL,
  response        text NOT NULL DEFAULT 'invited' CHECK (response IN ('invited', 'accepted', 'declined', 'attended', 'absent')),
  responded_at    timestamptz
);
CREATE UNIQUE INDEX consultation_invitees_person ON consultation_invitees (consultation_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX consultation_invitees_department ON consultation_invitees (consultation_id, department_code) WHERE person_id IS NULL;
CREATE INDEX consultation_invitees_account ON consultation_invitees (account_id) WHERE response = 'invited';

-- Decisions as structured items (S11): owner, due time, and what each spawned.
CREATE TABLE consultation_decisions (
  id              bigserial PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id),
  text            text NOT NULL,
  owner           text NOT NULL,
  due_at          timestamptz NOT NULL,
  spawn           text NOT NULL DEFAULT 'none' CHECK (spawn IN ('none', 'dispatch', 'task')),
  event_id        bigint REFERENCES events (id),
  created_by      integer REFERENCES accounts (id),
  created_name    text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE dispatches ADD CONSTRAINT dispatches_decision FOREIGN KEY (decision_id) REFERENCES consultation_decisions (id);

-- S10 key periods (major events, holidays, seasonal peaks): intensified inspection. NULL station: all.
CREATE TABLE key_periods (
  id         serial PRIMARY KEY,
  station_id integer REFERENCES stations (id),
  name       text NOT NULL,
  starts_on  date NOT NULL,
  ends_on    date NOT NULL CHECK (ends_on >= starts_on),
  created_by integer REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- S10 joint inspections: weekly by each resident department, monthly station-wide.
CREATE TABLE inspections (
  id              bigserial PRIMARY KEY,
  station_id      integer NOT NULL REFERENCES stations (id),
  kind            text NOT NULL CHECK (kind IN ('department_weekly', 'station_monthly')),
  department_code text,
  day             date NOT NULL,
  area            text NOT NULL,
  participants    text[] NOT NULL,
  created_by      integer REFERENCES accounts (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'department_weekly') = (department_code IS NOT NULL))
);
CREATE INDEX inspections_station_day ON inspections (station_id, day);
CREATE TABLE inspection_findings (
  inspection_id bigint NOT NULL REFERENCES inspections (id),
  event_id      bigint NOT NULL REFERENCES events (id),
  PRIMARY KEY (inspection_id, event_id)
);
