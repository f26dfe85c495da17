-- The leaders' indicators (issue 13; S9, S13): rollups kept current by the same commit as the events.
-- Each event counts once, on the Shanghai day it was REPORTED (a cohort), whatever happens to it
-- later: closing it in June moves May's completion rate, as the leaders expect of "May's cases".
-- The flags below are the SQL of server/analytics/predicates.ts; a property test holds them together
-- (rollup == a scan of events after random inserts, updates and deletes).

-- A citizen's rating of the outcome (1–5, issue 14 sets it); satisfaction counts 4 and 5.
ALTER TABLE events
  ADD COLUMN rating   smallint CHECK (rating BETWEEN 1 AND 5),
  ADD COLUMN rated_at timestamptz;

-- One row per (day, station, town, category); 0 and '' stand for none, so the key has no NULLs.
CREATE TABLE kpi_day (
  day            date     NOT NULL,
  station_id     integer  NOT NULL,
  town_code      text     NOT NULL,
  category       text     NOT NULL,
  reported       integer  NOT NULL DEFAULT 0,
  counted        integer  NOT NULL DEFAULT 0, -- reported less returned and merged
  closed         integer  NOT NULL DEFAULT 0, -- of counted, closed_at set (closed or rated)
  closed_on_time integer  NOT NULL DEFAULT 0, -- of closed, handled_at <= handle_due_at (working days, S12)
  missed         integer  NOT NULL DEFAULT 0, -- a limit missed, or a card raised now (S13)
  repeats        integer  NOT NULL DEFAULT 0, -- flagged at intake as a repeat (duplicate_of)
  rated          integer  NOT NULL DEFAULT 0,
  satisfied      integer  NOT NULL DEFAULT 0, -- rating >= 4
  PRIMARY KEY (day, station_id, town_code, category)
) WITH (fillfactor = 70); -- room on the page: a counter's update stays HOT (no index entry, less WAL)
CREATE INDEX kpi_day_station ON kpi_day (station_id, day);

-- Per grid, category and day: events reported there, not returned or merged. The warnings job
-- (issue 13, hotspots and surges) reads it; its shape is a contract with server/warnings.
CREATE TABLE kpi_grid_day (
  day        date    NOT NULL,
  grid_code  text    NOT NULL,
  category   text    NOT NULL,
  station_id integer,
  n          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, grid_code, category)
) WITH (fillfactor = 70);

-- Exact percentiles of the times to accept and to handle without sorting a period's events
-- (issue 13 Speed: ≤ 200 ms for any period): a histogram of each time per day and area, on
-- log-spaced buckets of its seconds, tells which bucket holds the ranks percentile_cont reads; only
-- that bucket's events are then read and sorted (server/analytics/percentiles.ts). Bucket 0 is
-- under a second (and any negative time); then 8 buckets per doubling (each 9 % wider than the
-- last): on lognormal times like the bench's, the fullest bucket holds ~3 % of a period's times.
CREATE FUNCTION kpi_bucket(secs float8) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE WHEN secs < 1 THEN 0 ELSE 1 + floor(ln(secs) * 11.541560327111707) END)::smallint
$$;

-- Counts per (day, area, measure, bucket): measure 'a' = reported → accepted, 'h' = accepted →
-- handled (the hours of server/analytics/predicates.ts). Each event counts twice: under its station
-- and town, and under station_id -1 (town '*'), the district's own rows, so a district year sums a
-- few tens of thousands of rows instead of every station's.
CREATE TABLE kpi_duration_day (
  day        date     NOT NULL,
  station_id integer  NOT NULL,
  town_code  text     NOT NULL,
  measure    "char"   NOT NULL,
  bucket     smallint NOT NULL,
  n          integer  NOT NULL DEFAULT 0,
  -- n in the key's index: a district year sums ~5·10⁴ rows index-only (a heap visit per row cost
  -- 4× as much). The price, an index entry per change of n, is paid at acceptance and handling only.
  PRIMARY KEY (station_id, day, measure, bucket, town_code) INCLUDE (n)
);
CREATE INDEX kpi_duration_day_town ON kpi_duration_day (town_code, day);

-- The same counts per month (month = its first day): a year is then twelve months and the days at
-- its two ends, ~10⁴ rows for the district instead of ~5·10⁴, ~10⁵ for every station side by side
-- (a ranking) instead of ~7·10⁵.
CREATE TABLE kpi_duration_month (
  month      date     NOT NULL,
  station_id integer  NOT NULL,
  town_code  text     NOT NULL,
  measure    "char"   NOT NULL,
  bucket     smallint NOT NULL,
  n          integer  NOT NULL DEFAULT 0,
  PRIMARY KEY (station_id, month, measure, bucket, town_code) INCLUDE (n)
);
CREATE INDEX kpi_duration_month_town ON kpi_duration_month (town_code, month);

-- What one event contributes, times `sign` (+1 as it is now, -1 as it was); the buckets are NULL
-- when the time is not measured (not accepted, not handled).
CREATE TYPE kpi_fact AS (
  day date, station_id integer, town_code text, category text, grid_code text,
  reported integer, counted integer, closed integer, closed_on_time integer,
  missed integer, repeats integer, rated integer, satisfied integer,
  accept_bucket smallint, handle_bucket smallint
);

-- A single expression, so PostgreSQL inlines it: no function call per row on the intake path.
CREATE FUNCTION kpi_fact_of(e events, sign integer) RETURNS kpi_fact LANGUAGE sql STABLE AS $$
  SELECT ROW(
    (e.reported_at AT TIME ZONE 'Asia/Shanghai')::date,
    coalesce(e.station_id, 0), coalesce(e.town_code, ''), e.category, e.grid_code,
    sign,
    sign * (e.state NOT IN ('returned', 'merged'))::int,
    sign * (e.state NOT IN ('returned', 'merged') AND e.closed_at IS NOT NULL)::int,
    sign * (e.state NOT IN ('returned', 'merged') AND e.closed_at IS NOT NULL AND coalesce(e.handled_at <= e.handle_due_at, false))::int,
    sign * (coalesce(e.accepted_at > e.accept_due_at, false) OR coalesce(e.handled_at > e.handle_due_at, false) OR e.card <> 'none')::int,
    sign * (e.duplicate_of IS NOT NULL)::int,
    sign * (e.rating IS NOT NULL)::int,
    sign * coalesce(e.rating >= 4, false)::int,
    kpi_bucket(date_part('epoch', e.accepted_at - e.reported_at)),
    kpi_bucket(date_part('epoch', e.handled_at - e.accepted_at))
  )::kpi_fact
$$;

-- Adds the facts to the rollups. Keys are upserted in key order (ORDER BY), so two batches that
-- touch the same days lock their rows in the same order and cannot deadlock; groups whose deltas
-- cancel out (an update that moved nothing) are not written at all.
CREATE FUNCTION kpi_apply(facts kpi_fact[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- PL/pgSQL, not SQL: its statements are planned once per connection and their plans kept,
  -- where a SQL function plans them again on every call, i.e. on every batch of reports.
  INSERT INTO kpi_day AS k (day, station_id, town_code, category, reported, counted, closed, closed_on_time, missed, repeats, rated, satisfied)
  SELECT f.day, f.station_id, f.town_code, f.category, sum(f.reported), sum(f.counted), sum(f.closed), sum(f.closed_on_time),
         sum(f.missed), sum(f.repeats), sum(f.rated), sum(f.satisfied)
    FROM unnest(facts) f
   GROUP BY f.day, f.station_id, f.town_code, f.category
  HAVING sum(f.reported) <> 0 OR sum(f.counted) <> 0 OR sum(f.closed) <> 0 OR sum(f.closed_on_time) <> 0
      OR sum(f.missed) <> 0 OR sum(f.repeats) <> 0 OR sum(f.rated) <> 0 OR sum(f.satisfied) <> 0
   ORDER BY f.day, f.station_id, f.town_code, f.category
  ON CONFLICT (day, station_id, town_code, category) DO UPDATE SET
    reported = k.reported + EXCLUDED.reported, counted = k.counted + EXCLUDED.counted,
    closed = k.closed + EXCLUDED.closed, closed_on_time = k.closed_on_time + EXCLUDED.closed_on_time,
    missed = k.missed + EXCLUDED.missed, repeats = k.repeats + EXCLUDED.repeats,
    rated = k.rated + EXCLUDED.rated, satisfied = k.satisfied + EXCLUDED.satisfied;

  INSERT INTO kpi_grid_day AS g (day, grid_code, category, station_id, n)
  SELECT f.day, f.grid_code, f.category, nullif(max(f.station_id), 0), sum(f.counted)
    FROM unnest(facts) f
   WHERE f.grid_code IS NOT NULL
   GROUP BY f.day, f.grid_code, f.category
  HAVING sum(f.counted) <> 0
   ORDER BY f.day, f.grid_code, f.category
  ON CONFLICT (day, grid_code, category) DO UPDATE SET n = g.n + EXCLUDED.n, station_id = coalesce(EXCLUDED.station_id, g.station_id);

  -- Most batches (new reports) measure no time yet: the WHERE leaves nothing and nothing is written.
  INSERT INTO kpi_duration_day AS d (station_id, day, measure, bucket, town_code, n)
  SELECT a.station_id, f.day, m.measure, m.bucket, a.town_code, sum(f.reported)
    FROM unnest(facts) f
   CROSS JOIN LATERAL (VALUES ('a'::"char", f.accept_bucket), ('h'::"char", f.handle_bucket)) m(measure, bucket)
   CROSS JOIN LATERAL (VALUES (f.station_id, f.town_code), (-1, '*')) a(station_id, town_code)
   WHERE m.bucket IS NOT NULL
   GROUP BY a.station_id, f.day, m.measure, m.bucket, a.town_code
  HAVING sum(f.reported) <> 0
   ORDER BY a.station_id, f.day, m.measure, m.bucket, a.town_code
  ON CONFLICT (station_id, day, measure, bucket, town_code) DO UPDATE SET n = d.n + EXCLUDED.n;

  INSERT INTO kpi_duration_month AS d (station_id, month, measure, bucket, town_code, n)
  SELECT a.station_id, date_trunc('month', f.day)::date, m.measure, m.bucket, a.town_code, sum(f.reported)
    FROM unnest(facts) f
   CROSS JOIN LATERAL (VALUES ('a'::"char", f.accept_bucket), ('h'::"char", f.handle_bucket)) m(measure, bucket)
   CROSS JOIN LATERAL (VALUES (f.station_id, f.town_code), (-1, '*')) a(station_id, town_code)
   WHERE m.bucket IS NOT NULL
   GROUP BY a.station_id, date_trunc('month', f.day)::date, m.measure, m.bucket, a.town_code
  HAVING sum(f.reported) <> 0
   ORDER BY a.station_id, date_trunc('month', f.day)::date, m.measure, m.bucket, a.town_code
  ON CONFLICT (station_id, month, measure, bucket, town_code) DO UPDATE SET n = d.n + EXCLUDED.n;
END
$$;

-- Statement-level with transition tables: one pair of upserts per batch of ≤ 100 reports, not one per row.
CREATE FUNCTION kpi_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_apply(ARRAY(SELECT kpi_fact_of(n, 1) FROM kpi_new n));
  RETURN NULL;
END
$$;

-- Only rows whose contribution changed: most updates (a lock taken, a step that keeps the flags)
-- move nothing and write nothing.
CREATE FUNCTION kpi_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  facts kpi_fact[];
BEGIN
  facts := ARRAY(
    SELECT v.f FROM kpi_old o JOIN kpi_new n ON n.id = o.id
     CROSS JOIN LATERAL (VALUES (kpi_fact_of(o, -1)), (kpi_fact_of(n, 1))) v(f)
     WHERE kpi_fact_of(o, 1) IS DISTINCT FROM kpi_fact_of(n, 1));
  IF cardinality(facts) > 0 THEN
    PERFORM kpi_apply(facts);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kpi_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_apply(ARRAY(SELECT kpi_fact_of(o, -1) FROM kpi_old o));
  RETURN NULL;
END
$$;

CREATE FUNCTION kpi_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kpi_day;
  DELETE FROM kpi_grid_day;
  DELETE FROM kpi_duration_day;
  DELETE FROM kpi_duration_month;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_kpi_insert AFTER INSERT ON events REFERENCING NEW TABLE AS kpi_new
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_insert();
CREATE TRIGGER events_kpi_update AFTER UPDATE ON events REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_update();
CREATE TRIGGER events_kpi_delete AFTER DELETE ON events REFERENCING OLD TABLE AS kpi_old
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_delete();
CREATE TRIGGER events_kpi_truncate AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_truncate();

-- Backfill, a month at a time so a large table never builds one huge array.
DO $$
DECLARE
  m date;
BEGIN
  FOR m IN SELECT DISTINCT date_trunc('month', reported_at AT TIME ZONE 'Asia/Shanghai')::date FROM events ORDER BY 1 LOOP
    PERFORM kpi_apply(ARRAY(
      SELECT kpi_fact_of(e, 1) FROM events e
       WHERE e.reported_at >= (m::timestamp AT TIME ZONE 'Asia/Shanghai')
         AND e.reported_at < ((m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')));
  END LOOP;
END
$$;

-- The naive percentiles (the bench's baseline) and a grid's (not in the histogram) read raw events:
-- an index-only scan of the period with what they need. It replaces events_reported_at (same
-- leading column), so the intake path keeps the same number of indexes to maintain.
CREATE INDEX events_kpi_times ON events (reported_at) INCLUDE (station_id, town_code, grid_code, accepted_at, handled_at);
DROP INDEX events_reported_at;

-- The second phase of a percentile: one bucket's events of a period, index-only; keyed by station
-- next, so a station's read (and a ranking's, per station) is its own range. A district's read is
-- the bucket's whole range (a bucket is ~3 % of the times), filtered by time. Partial, so a new
-- report (not yet accepted) is entered in neither: intake pays for them only when it measures a
-- time, at acceptance and at handling.
CREATE INDEX events_kpi_accept_bucket ON events (kpi_bucket(date_part('epoch', accepted_at - reported_at)), station_id, reported_at)
  INCLUDE (accepted_at, town_code) WHERE accepted_at IS NOT NULL;
CREATE INDEX events_kpi_handle_bucket ON events (kpi_bucket(date_part('epoch', handled_at - accepted_at)), station_id, reported_at)
  INCLUDE (accepted_at, handled_at, town_code) WHERE accepted_at IS NOT NULL AND handled_at IS NOT NULL;
