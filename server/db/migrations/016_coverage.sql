-- Issue 12: patrol coverage proven from the traces (S3, S10). The registers a gridder owes visits
-- to, the duty that makes a trace a patrol, the visits found in the traces (or checked in by hand)
-- and the patrol per grid and day. Visits and patrol days are computed from the raw fixes before
-- the retention job thins them, and kept: coverage never reads the thinned history.

-- Key places (重点场所): an outline besides the point (a market, a construction site), kept
-- editable, and removed without losing the visits made to them.
ALTER TABLE places
  ADD COLUMN outline    geometry(MultiPolygon, 4326),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN removed_at timestamptz;

-- Key persons (重点人员): personal data, masked on every screen but the responsible gridder's and
-- the leaders', every read of it audited. Owned by a grid, so by its gridders (S3).
CREATE TABLE key_persons (
  id               serial PRIMARY KEY,
  name             text NOT NULL,
  id_number        text,
  phone            text,
  category         text NOT NULL,
  -- S3 asks for at least one visit a month; some categories need more (e.g. 严重精神障碍患者).
  visits_per_month integer NOT NULL DEFAULT 1 CHECK (visits_per_month BETWEEN 1 AND 31),
  address          text NOT NULL,
  location         geometry(Point, 4326) NOT NULL,
  grid_code        text NOT NULL REFERENCES regions (code),
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  removed_at       timestamptz
);
CREATE INDEX key_persons_grid ON key_persons (grid_code) WHERE removed_at IS NULL;
CREATE INDEX key_persons_location_gist ON key_persons USING gist (location);

-- 上岗 / 下岗: a unit's time on duty. A trace counts as patrol only inside a shift.
CREATE TABLE duty_shifts (
  id         bigserial PRIMARY KEY,
  unit_id    integer NOT NULL REFERENCES units (id),
  started_at timestamptz NOT NULL,
  ended_at   timestamptz CHECK (ended_at IS NULL OR ended_at >= started_at),
  -- 'field': the phone's 上岗 button; 'device': a tracker's fixes; 'sim': the demo simulator.
  source     text NOT NULL CHECK (source IN ('field', 'device', 'sim'))
);
-- One open shift per unit.
CREATE UNIQUE INDEX duty_shifts_open ON duty_shifts (unit_id) WHERE ended_at IS NULL;
CREATE INDEX duty_shifts_unit_time ON duty_shifts (unit_id, started_at);

-- A visit to a key place or key person: found in the responsible gridder's trace (stayed at least
-- coverage_settings.visit_minutes within visit_radius_m), or a manual check-in with photo and
-- position, shown as such.
CREATE TABLE visits (
  id          bigserial PRIMARY KEY,
  place_id    integer REFERENCES places (id),
  person_id   integer REFERENCES key_persons (id),
  unit_id     integer NOT NULL REFERENCES units (id),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz NOT NULL CHECK (ended_at >= started_at),
  source      text NOT NULL CHECK (source IN ('trace', 'manual')),
  -- Manual check-ins: where the phone was, the photo taken there, who checked in, the request key of the retry.
  location    geometry(Point, 4326),
  photo_id    text REFERENCES photos (id),
  note        text,
  created_by  integer REFERENCES accounts (id),
  request_key text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((place_id IS NULL) <> (person_id IS NULL)),
  CHECK (source = 'trace' OR (location IS NOT NULL AND created_by IS NOT NULL))
);
-- A trace visit is found again on every run of the job: once each.
CREATE UNIQUE INDEX visits_trace_once ON visits (unit_id, coalesce(place_id, 0), coalesce(person_id, 0), started_at) WHERE source = 'trace';
CREATE INDEX visits_place_time ON visits (place_id, started_at) WHERE place_id IS NOT NULL;
CREATE INDEX visits_person_time ON visits (person_id, started_at) WHERE person_id IS NOT NULL;

-- Patrol per unit, grid and local day (Asia/Shanghai): time on duty and distance inside the grid.
CREATE TABLE patrol_days (
  unit_id   integer NOT NULL REFERENCES units (id),
  grid_code text NOT NULL REFERENCES regions (code),
  day       date NOT NULL,
  seconds   integer NOT NULL CHECK (seconds >= 0),
  metres    real NOT NULL CHECK (metres >= 0),
  PRIMARY KEY (unit_id, grid_code, day)
);
CREATE INDEX patrol_days_grid_day ON patrol_days (grid_code, day);

-- Which local days the coverage job has computed from raw fixes; the retention job thins a day
-- only once it is here, so nothing coverage needs is lost with the raw fixes.
CREATE TABLE coverage_days (
  day         date PRIMARY KEY,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- How far into an open day the coverage job has added patrol: each run adds only the segments
-- that began since (a whole day recomputed every few minutes costs minutes at a district's rate).
CREATE TABLE coverage_marks (
  day         date PRIMARY KEY,
  patrol_upto timestamptz NOT NULL
);

-- The defaults of the admin page: what counts as a visit.
CREATE TABLE coverage_settings (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  visit_minutes  integer NOT NULL DEFAULT 10 CHECK (visit_minutes BETWEEN 1 AND 240),
  visit_radius_m integer NOT NULL DEFAULT 50 CHECK (visit_radius_m BETWEEN 5 AND 1000),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO coverage_settings DEFAULT VALUES;

-- Each station's minimum patrol time per gridder and month (动态清).
ALTER TABLE stations ADD COLUMN patrol_hours_month integer NOT NULL DEFAULT 40 CHECK (patrol_hours_month BETWEEN 0 AND 744);

-- Trackers and phone SDKs of Chinese map vendors report in GCJ-02 or BD-09; converted on the way in.
ALTER TABLE device_tokens ADD COLUMN datum text NOT NULL DEFAULT 'wgs84' CHECK (datum IN ('wgs84', 'gcj02', 'bd09'));
