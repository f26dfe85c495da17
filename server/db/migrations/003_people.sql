-- S5: departments stationed resident (常驻), rotating (轮驻) or on call (联驻).
CREATE TABLE departments (
  id                serial PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  name              text NOT NULL,
  default_residency text NOT NULL CHECK (default_residency IN ('resident', 'rotating', 'on_call'))
);

CREATE TABLE station_departments (
  station_id    integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  department_id integer NOT NULL REFERENCES departments (id),
  residency     text NOT NULL CHECK (residency IN ('resident', 'rotating', 'on_call')),
  PRIMARY KEY (station_id, department_id)
);

-- When a rotating department sits in a station (S5 轮驻 roster).
CREATE TABLE department_rotations (
  id            serial PRIMARY KEY,
  station_id    integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  department_id integer NOT NULL REFERENCES departments (id),
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX department_rotations_station_time ON department_rotations (station_id, starts_at);

-- S6 people; their roles (S6, S7) per station, grid or department.
CREATE TABLE people (
  id            serial PRIMARY KEY,
  name          text NOT NULL,
  phone         text,
  department_id integer REFERENCES departments (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_roles (
  id            serial PRIMARY KEY,
  person_id     integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  role          text NOT NULL,
  station_id    integer REFERENCES stations (id),
  grid_code     text REFERENCES regions (code),
  department_id integer REFERENCES departments (id)
);
CREATE INDEX person_roles_person ON person_roles (person_id);
CREATE INDEX person_roles_station_role ON person_roles (station_id, role);
CREATE INDEX person_roles_grid ON person_roles (grid_code);

-- Staff logins. Role is checked on every mutating route and socket namespace.
CREATE TABLE accounts (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL,
  person_id     integer REFERENCES people (id),
  station_id    integer REFERENCES stations (id),
  display_name  text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Anything that can be dispatched: a person (gridder, officer) or a team.
CREATE TABLE units (
  id            serial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  kind          text NOT NULL,
  is_team       boolean NOT NULL DEFAULT false,
  department_id integer REFERENCES departments (id),
  station_id    integer REFERENCES stations (id),
  person_id     integer REFERENCES people (id),
  grid_code     text REFERENCES regions (code),
  status        text NOT NULL DEFAULT 'available'
                CHECK (status IN ('available', 'dispatched', 'busy', 'off_duty')),
  last_position geometry(Point, 4326),
  last_seen_at  timestamptz
);
CREATE INDEX units_last_position_gist ON units USING gist (last_position);
CREATE INDEX units_station ON units (station_id);

-- Position history, written in batches; queried by unit and by time.
CREATE TABLE positions (
  unit_id  integer NOT NULL REFERENCES units (id),
  at       timestamptz NOT NULL,
  geom     geometry(Point, 4326) NOT NULL,
  speed    real,
  heading  real,
  accuracy real
);
CREATE INDEX positions_unit_at ON positions (unit_id, at DESC);
CREATE INDEX positions_at_brin ON positions USING brin (at);
