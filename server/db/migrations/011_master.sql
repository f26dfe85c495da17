-- Issue 10: a district's own master data, entered in the browser.

-- Who of a department is on duty at a station on a day (值班表, S5). Invitations and dispatch
-- availability use it on days that have one, instead of all the department's staff.
CREATE TABLE duty_roster (
  station_id    integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  department_id integer NOT NULL REFERENCES departments (id),
  day           date NOT NULL,
  person_id     integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  PRIMARY KEY (station_id, department_id, day, person_id)
);
CREATE INDEX duty_roster_day ON duty_roster (station_id, day);

-- People belong to a station (NULL: district staff) and are edited, not only seeded.
ALTER TABLE people
  ADD COLUMN station_id integer REFERENCES stations (id),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE people p SET station_id = (SELECT r.station_id FROM person_roles r WHERE r.person_id = p.id AND r.station_id IS NOT NULL ORDER BY r.id LIMIT 1);
CREATE INDEX people_station ON people (station_id);

-- How a unit moves (步巡 / 车巡).
ALTER TABLE units ADD COLUMN mobility text NOT NULL DEFAULT 'foot' CHECK (mobility IN ('foot', 'vehicle'));
UPDATE units SET mobility = 'vehicle' WHERE is_team;

-- A gateway token reports any unit of its station (NULL station and unit: the whole district, as before).
ALTER TABLE device_tokens
  ADD COLUMN station_id   integer REFERENCES stations (id),
  ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
