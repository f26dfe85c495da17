-- The town's yearly review of a station (issue 15 point 3; S14: 建成情况, 功能区配备, 工作制度实施,
-- 派驻人员, 实际成效) and accountability records (point 4; S13: 通报批评, 约谈, 问责).

-- One checklist per station and year. `items` is lib/contracts/reviews.ts (each item: its code,
-- name, full marks, evidence — photos, documents, figures pulled from the system — the district's
-- score and what was found lacking). Scored by the district: then `score`/`max_score` feed the
-- `review` indicator of the assessment (lib/assessment/indicators.ts).
CREATE TABLE station_reviews (
  id          bigserial PRIMARY KEY,
  station_id  integer NOT NULL REFERENCES stations (id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  state       text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'scored')),
  items       jsonb NOT NULL,
  score       numeric(6, 2),
  max_score   numeric(6, 2),
  scored_by   integer REFERENCES accounts (id),
  scored_name text,
  scored_at   timestamptz,
  created_by  integer REFERENCES accounts (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, year),
  CHECK ((state = 'scored') = (score IS NOT NULL AND max_score IS NOT NULL AND scored_at IS NOT NULL)),
  CHECK (score IS NULL OR (score >= 0 AND score <= max_score AND max_score > 0))
);

-- What a review found lacking becomes a follow-up task with a deadline (整改).
CREATE TABLE review_tasks (
  id         bigserial PRIMARY KEY,
  review_id  bigint NOT NULL REFERENCES station_reviews (id),
  station_id integer NOT NULL REFERENCES stations (id),
  item_code  text NOT NULL,
  title      text NOT NULL,
  due_on     date NOT NULL,
  state      text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
  done_note  text,
  done_at    timestamptz,
  done_by    integer REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (review_id, item_code)
);
CREATE INDEX review_tasks_station_open ON review_tasks (station_id, due_on) WHERE state = 'open';

-- 通报批评 (weight 1), 约谈 (2), 问责 (3): from a red card, an overdue list or by hand, naming the
-- people concerned and linked to their events. Revoking one keeps it (revoked_at) and stops it counting.
CREATE TABLE accountability_records (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('notice', 'talk', 'accountability')),
  station_id   integer NOT NULL REFERENCES stations (id),
  -- The department concerned, when it is a team's (its code, as events.department_code).
  department_code text,
  source       text NOT NULL CHECK (source IN ('red_card', 'overdue', 'manual')),
  title        text NOT NULL,
  detail       text NOT NULL,
  decided_on   date NOT NULL,
  created_by   integer REFERENCES accounts (id),
  created_name text,
  request_key  text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  revoked_reason text
);
CREATE INDEX accountability_station ON accountability_records (station_id, decided_on);
CREATE TABLE accountability_people (
  record_id bigint NOT NULL REFERENCES accountability_records (id),
  person_id integer NOT NULL REFERENCES people (id),
  PRIMARY KEY (record_id, person_id)
);
CREATE INDEX accountability_people_person ON accountability_people (person_id);
CREATE TABLE accountability_events (
  record_id bigint NOT NULL REFERENCES accountability_records (id),
  event_id  bigint NOT NULL REFERENCES events (id),
  PRIMARY KEY (record_id, event_id)
);
CREATE INDEX accountability_events_event ON accountability_events (event_id);
