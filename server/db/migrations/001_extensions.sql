-- PostGIS is the record of every place, boundary and position (SRID 4326 throughout).
CREATE EXTENSION IF NOT EXISTS postgis;
