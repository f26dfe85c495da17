-- district → town → village → grid; codes are the national statistical codes where public,
-- grid codes are the village code plus a sequence.
CREATE TABLE regions (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('district', 'town', 'village', 'grid')),
  parent_code text REFERENCES regions (code),
  households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  population  integer NOT NULL DEFAULT 0 CHECK (population >= 0),
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  CHECK ((level = 'district') = (parent_code IS NULL))
);
CREATE INDEX regions_geom_gist ON regions USING gist (geom);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_level ON regions (level);

-- S5: a station (片区) covers several villages and holds three units.
CREATE TABLE stations (
  id        serial PRIMARY KEY,
  code      text NOT NULL UNIQUE,
  name      text NOT NULL,
  town_code text NOT NULL REFERENCES regions (code),
  location  geometry(Point, 4326) NOT NULL
);
CREATE INDEX stations_location_gist ON stations USING gist (location);

CREATE TABLE station_villages (
  station_id   integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  village_code text NOT NULL UNIQUE REFERENCES regions (code),
  PRIMARY KEY (station_id, village_code)
);

CREATE TABLE station_units (
  id         serial PRIMARY KEY,
  station_id integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('grid_station', 'mediation_centre', 'police_station')),
  name       text NOT NULL,
  UNIQUE (station_id, kind)
);

-- Key places (S3, S10): patrolled monthly, risk-rated, each in a grid.
CREATE TABLE places (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  category   text NOT NULL,
  risk_level text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'major')),
  grid_code  text NOT NULL REFERENCES regions (code),
  address    text,
  location   geometry(Point, 4326) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX places_location_gist ON places USING gist (location);
CREATE INDEX places_grid ON places (grid_code);
