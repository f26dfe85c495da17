-- The monthly, quarterly and yearly report (issue 15 point 6): each workbook made, kept as a file
-- under DATA_DIR/reports/ with its size and SHA-256 (what each audited download names). A frozen
-- period's report is made once per scope, by the job (generated_by NULL) or on demand, and served
-- again until an adjustment of the period (the district may still adjust a frozen period) makes it
-- stale; an open period's is remade when older than a minute and replaces the one before.
CREATE TABLE assessment_reports (
  id             bigserial PRIMARY KEY,
  period         text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
  -- 'district' or 's:<station id>'
  scope          text NOT NULL CHECK (scope ~ '^(district|s:[1-9]\d{0,9})$'),
  station_id     integer REFERENCES stations (id),
  -- Whether the period was frozen when it was made (its figures are then final).
  frozen         boolean NOT NULL,
  -- How many adjustments the period had when it was made (they are append-only, so the count only
  -- grows, and an adjustment committing late under a lower id still counts): more makes a frozen report stale.
  adjustments_through bigint NOT NULL DEFAULT 0,
  -- Relative to DATA_DIR.
  path           text NOT NULL,
  bytes          integer NOT NULL CHECK (bytes > 0),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  ms             integer NOT NULL,
  -- The report as gathered (lib/contracts/reports.ts ReportV1): the printable page shows the same figures as the file.
  document       jsonb NOT NULL,
  generated_at   timestamptz NOT NULL DEFAULT now(),
  -- NULL: the job.
  generated_by   integer REFERENCES accounts (id),
  generated_name text,
  UNIQUE (period, scope),
  CHECK ((scope = 'district') = (station_id IS NULL))
);

-- 红牌清单 and the red_cards indicator read the supervise entries of a period: a district month is
-- a few hundred of the period's hundreds of thousands of log rows.
CREATE INDEX event_log_supervise_at ON event_log (at) WHERE action = 'supervise';
