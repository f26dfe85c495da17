-- Issue 11, fault 5: position history had no retention (≈4 GB a day at the demo's rate). It becomes
-- a table partitioned by UTC day on `at`, so a day past POSITIONS_KEEP_DAYS goes with one DROP
-- TABLE (server/jobs/retention.ts) instead of a DELETE of millions of rows and the vacuum after it.
-- Columns and indexes are those of 003_people.sql.
--
-- The rows already there stay where they are: the old table becomes one partition covering
-- everything up to the end of its newest day, dropped whole once that day is past the retention. Attaching costs one sequential read to check the bound: no rewrite, and the
-- old indexes are adopted by the new ones as they are, where moving tens of millions of rows would
-- rewrite them all and rebuild both indexes.
ALTER TABLE positions RENAME TO positions_legacy;
ALTER INDEX positions_unit_at RENAME TO positions_legacy_unit_at;
ALTER INDEX positions_at_brin RENAME TO positions_legacy_at_brin;

CREATE TABLE positions (
  unit_id  integer NOT NULL REFERENCES units (id),
  at       timestamptz NOT NULL,
  geom     geometry(Point, 4326) NOT NULL,
  speed    real,
  heading  real,
  accuracy real
) PARTITION BY RANGE (at);
-- Unique: a fix is its unit and its time, so a source retrying a batch whose answer it lost
-- (or one sent again after a 503) writes each fix once (INSERT … ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX positions_unit_at ON positions (unit_id, at DESC);
CREATE INDEX positions_at_brin ON positions USING brin (at);

-- A row whose day has no partition yet lands here rather than failing its whole batch; the
-- retention job moves such rows into their day's partition when it creates it.
CREATE TABLE positions_default PARTITION OF positions DEFAULT;

DO $$
DECLARE
  today  timestamptz := date_trunc('day', now(), 'UTC');
  newest timestamptz;
  upto   timestamptz;
  d      timestamptz;
BEGIN
  IF EXISTS (SELECT 1 FROM positions_legacy) THEN
    -- Retries could write a fix twice before: once each, so the unique index can be adopted.
    DELETE FROM positions_legacy p USING (
      SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY unit_id, at) AS n FROM positions_legacy) d WHERE d.n > 1) x
     WHERE p.ctid = x.ctid;
    DROP INDEX positions_legacy_unit_at;
    CREATE UNIQUE INDEX positions_legacy_unit_at ON positions_legacy (unit_id, at DESC);
    -- The newest row through the (unit_id, at DESC) index, one probe per unit, not a scan.
    SELECT max(l.at) INTO newest
      FROM units u CROSS JOIN LATERAL (SELECT p.at FROM positions_legacy p WHERE p.unit_id = u.id ORDER BY p.at DESC LIMIT 1) l;
    upto := date_trunc('day', newest, 'UTC') + interval '1 day';
    EXECUTE format('ALTER TABLE positions ATTACH PARTITION positions_legacy FOR VALUES FROM (MINVALUE) TO (%L)', upto);
  ELSE
    DROP TABLE positions_legacy;
  END IF;
  -- Fixes up to 24 h old are accepted (lib/live/validate.ts), so from yesterday (where the old
  -- table does not cover it; greatest() passes over a NULL), and three days ahead as the job keeps
  -- it, so rows land in their own partition before the job first runs.
  d := greatest(upto, today - interval '1 day');
  WHILE d <= today + interval '3 days' LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
                   'positions_p' || to_char(d AT TIME ZONE 'UTC', 'YYYYMMDD'), d, d + interval '1 day');
    d := d + interval '1 day';
  END LOOP;
END $$;
