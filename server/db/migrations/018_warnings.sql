-- Early warning (issue 13; S9 item 4): emerging hot spots, high-frequency events, high-risk places
-- and rising needs, raised by a job (server/warnings) and acted on by the station's leaders.

CREATE TABLE warnings (
  id             bigserial PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('hotspot', 'surge', 'place', 'need')),
  -- What makes two runs' findings the same warning: 'grid:<code>', 'grid:<code>:<category>', 'place:<id>' …
  subject        text NOT NULL,
  level          text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  hotspot_class  text CHECK (hotspot_class IN ('new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical')),
  title          text NOT NULL,
  explanation    text NOT NULL,
  numbers        jsonb NOT NULL DEFAULT '{}',
  -- NULL: district-wide (a need no one station owns); seen by district roles and every station (routes/warnings.ts).
  station_id     integer REFERENCES stations (id),
  grid_code      text REFERENCES regions (code),
  category       text,
  location       geometry(Point, 4326) NOT NULL,
  event_ids      bigint[] NOT NULL DEFAULT '{}',
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'converted', 'cleared')),
  raised_at      timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- The last run that still found it. A run that no longer finds it sets cleared_at: an open or
  -- acknowledged one becomes 'cleared'; a converted one keeps its state (it was acted on) and
  -- leaves the active list. Only warnings without cleared_at are live.
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  cleared_at     timestamptz,
  acknowledged_by      integer REFERENCES accounts (id),
  acknowledged_by_name text,
  acknowledged_at      timestamptz,
  converted_kind  text CHECK (converted_kind IN ('consultation', 'inspection')),
  converted_id    bigint,
  converted_at    timestamptz,
  version         integer NOT NULL DEFAULT 1,
  CHECK ((converted_kind IS NULL) = (converted_id IS NULL)),
  CHECK ((state = 'cleared') <= (cleared_at IS NOT NULL))
);
-- One live warning per subject: a run updates it; once cleared, the same finding later is a new warning.
CREATE UNIQUE INDEX warnings_live_subject ON warnings (kind, subject) WHERE cleared_at IS NULL;
CREATE INDEX warnings_station_active ON warnings (station_id) WHERE cleared_at IS NULL;
CREATE INDEX warnings_converted ON warnings (converted_kind, converted_id) WHERE converted_kind IS NOT NULL;

-- Thresholds (admin setting): one row. lib/warnings/defaults.ts holds the same defaults.
CREATE TABLE warning_settings (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO warning_settings (settings) VALUES ('{
  "everyMinutes": 15, "hotspotDays": 90, "hotspotStep": "day", "hotspotAlpha": 0.05,
  "surgeDays": 7, "surgeBaselineWeeks": 12, "surgeQ": 0.05, "surgeMinCount": 5,
  "placeRadiusM": 200, "placeDays": 30, "placeYellow": 3, "placeOrange": 6, "placeRed": 10
}');

-- A joint inspection task made from a warning (S10: the station's departments inspect together);
-- the inspection itself is recorded as before (inspections) when it is done.
CREATE TABLE inspection_tasks (
  id          bigserial PRIMARY KEY,
  station_id  integer REFERENCES stations (id),
  warning_id  bigint NOT NULL UNIQUE REFERENCES warnings (id),
  title       text NOT NULL,
  area        text NOT NULL,
  note        text,
  due_on      date NOT NULL,
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
  created_by  integer REFERENCES accounts (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  done_at     timestamptz
);
CREATE INDEX inspection_tasks_station_open ON inspection_tasks (station_id) WHERE state = 'open';

-- Warnings are pushed as they now stand after the commit, like incidents (issue 11's outbox).
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('incident', 'dispatch', 'consultation', 'notice', 'warning'));

-- Counting the need of citizens (S9): citizen reports per category and day.
CREATE INDEX events_citizen_category_time ON events (category, reported_at) WHERE reported_by_citizen;
CREATE INDEX source_stats_day ON source_stats (day);

-- The events behind a grid's warning, newest first (server/warnings/finding.ts eventIdsOf), and a grid's drill-down.
CREATE INDEX events_grid_time ON events (grid_code, reported_at);
