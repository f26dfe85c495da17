-- Scores (issue 15 point 2; S13 assessment, S14 star stations and staff). The scoring job
-- (server/assessment) computes one row per period and subject; when the period ends the row is
-- frozen and never changes again, whatever later edits do to its events. It names the rule set
-- version it used. Contract: lib/contracts/scores.ts.

-- 越级信访 and 群体性事件 (S13 deductions): set by the district on an event, each change audited.
ALTER TABLE events
  ADD COLUMN petition_skip  boolean NOT NULL DEFAULT false,
  ADD COLUMN group_incident boolean NOT NULL DEFAULT false;
CREATE INDEX events_flagged ON events (reported_at) WHERE petition_skip OR group_incident;

-- When a station was set up (stations present now get this migration's time). The scoring job does
-- not freeze a period that ended before the first station existed: a fresh install would otherwise
-- freeze the months before it with nothing in them, for good.
ALTER TABLE stations ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE assessment_scores (
  id              bigserial PRIMARY KEY,
  period          text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
  period_kind     text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  subject_kind    text NOT NULL CHECK (subject_kind IN ('station', 'team', 'person')),
  -- 's:<station>', 't:<station>:<department code>', 'p:<person>'
  subject_key     text NOT NULL,
  station_id      integer NOT NULL REFERENCES stations (id),
  department_code text,
  person_id       integer REFERENCES people (id),
  rule_set_id     integer NOT NULL REFERENCES assessment_rule_sets (id),
  -- lib/contracts/scores.ts FiguresV1 and ScoreItemV1[]
  figures         jsonb NOT NULL,
  items           jsonb NOT NULL,
  earned          numeric(6, 2) NOT NULL,
  deducted        numeric(6, 2) NOT NULL,
  computed_total  numeric(6, 2) NOT NULL,
  -- The events the score counted (its cohort), kept so a frozen score opens into the same events.
  event_ids       bigint[] NOT NULL DEFAULT '{}',
  -- A frozen station row only: what each event of the station's cohort counted for when frozen,
  -- {"<event id>": [onTimeAccept, onTime, card, rating, petitionSkip, groupIncident]} (server/assessment/
  -- figures.ts EVENT_FACTS), read for the station's, its teams' and its people's frozen details
  -- instead of the events as they are today. Once per event, not per subject: ~40 bytes an event.
  event_facts     jsonb,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  frozen_at       timestamptz,
  UNIQUE (period, subject_key),
  CHECK ((subject_kind = 'station') = (subject_key LIKE 's:%')),
  CHECK ((subject_kind = 'person') = (person_id IS NOT NULL)),
  CHECK ((subject_kind = 'team') = (department_code IS NOT NULL))
);
CREATE INDEX assessment_scores_list ON assessment_scores (period, subject_kind, station_id);

-- A frozen score is final: no update or delete (a correction is an adjustment beside it).
CREATE FUNCTION assessment_scores_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.frozen_at IS NOT NULL THEN
    RAISE EXCEPTION 'assessment_scores %: frozen on %, % refused', OLD.id, OLD.frozen_at, TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER assessment_scores_frozen BEFORE UPDATE OR DELETE ON assessment_scores
  FOR EACH ROW EXECUTE FUNCTION assessment_scores_frozen();

-- Periods the job has frozen (so it freezes each once, and a report knows its figures are final).
CREATE TABLE assessment_periods (
  period      text PRIMARY KEY,
  period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  rule_set_id integer NOT NULL REFERENCES assessment_rule_sets (id),
  frozen_at   timestamptz NOT NULL DEFAULT now()
);

-- The district's manual adjustments (S13), each with its reason; append-only, shown beside the
-- computed score; a frozen period may still be adjusted (that is what they are for).
CREATE TABLE assessment_adjustments (
  id          bigserial PRIMARY KEY,
  period      text NOT NULL,
  subject_key text NOT NULL,
  points      numeric(6, 2) NOT NULL CHECK (points <> 0 AND points BETWEEN -100 AND 100),
  reason      text NOT NULL CHECK (length(btrim(reason)) >= 2),
  by_account  integer REFERENCES accounts (id),
  by_name     text,
  request_key text NOT NULL UNIQUE,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_adjustments_subject ON assessment_adjustments (period, subject_key);
CREATE TRIGGER assessment_adjustments_append_only BEFORE UPDATE OR DELETE ON assessment_adjustments
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
