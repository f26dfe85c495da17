-- Rewards (积分; issue 15 point 5, S14: rewards for grid reports and valid public tips). The points
-- table as data, an append-only ledger per holder, redemptions, and the "found false" mark that
-- takes points back. What is owed is decided by lib/points/rules.ts; server/points writes it.

-- The points table (积分细则). `who` is whom the rule pays: a grid staff member, a volunteer (志愿者,
-- 网格信息员), a resident (by the phone of their request), or any staff member (handling, inspections).
CREATE TABLE points_rules (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+$'),
  label      text NOT NULL,
  points     integer NOT NULL CHECK (points BETWEEN -1000 AND 1000),
  who        text NOT NULL CHECK (who IN ('gridder', 'volunteer', 'citizen', 'staff')),
  active     boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO points_rules (code, label, points, who) VALUES
  ('report_gridder', '网格员有效上报（核查办结）', 2, 'gridder'),
  ('report_volunteer', '志愿者、信息员有效上报（核查办结）', 3, 'volunteer'),
  ('report_citizen', '群众有效举报（核查办结）', 5, 'citizen'),
  ('handled_on_time', '按时处置反馈（时限内处置并核查办结）', 2, 'staff'),
  ('inspection', '参加联合巡查（每次）', 1, 'staff');

-- An event found false (查实为虚假上报): its report points are taken back. One mark per event,
-- never rewritten (a mistaken mark is corrected by a new ledger entry, not by erasing this).
CREATE TABLE event_false_reports (
  event_id    bigint PRIMARY KEY REFERENCES events (id),
  reason      text NOT NULL CHECK (length(btrim(reason)) > 0),
  marked_by   integer REFERENCES accounts (id),
  marked_name text,
  marked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER event_false_reports_append_only BEFORE UPDATE OR DELETE ON event_false_reports
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What was redeemed (兑换), for whom and by whom recorded; each is also a negative ledger entry.
CREATE TABLE points_redemptions (
  id                 bigserial PRIMARY KEY,
  holder             text NOT NULL,
  person_id          integer REFERENCES people (id),
  citizen_request_id bigint REFERENCES citizen_requests (id),
  station_id         integer REFERENCES stations (id),
  item               text NOT NULL CHECK (length(btrim(item)) > 0),
  points             integer NOT NULL CHECK (points > 0),
  recorded_by        integer REFERENCES accounts (id),
  recorded_name      text,
  request_key        text NOT NULL UNIQUE,
  at                 timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(person_id, citizen_request_id) = 1)
);

-- The ledger. `holder` is who the points belong to: 'p:<person id>' for staff and volunteers,
-- 'c:<phone>' for a resident (their requests' phone; 'r:<request id>' when they left none), so a
-- resident's points add up across requests and are shown by the request's code. `ref` names what
-- paid: 'thing:<root event>' for a report (the root of its duplicate/merge chain), 'handled:<event>',
-- 'inspection:<id>', 'redeem:<id>'; a clawback is the paid ref with ':false' appended.
CREATE TABLE points_ledger (
  id                 bigserial PRIMARY KEY,
  holder             text NOT NULL CHECK (holder ~ '^(p|c|r):.+$'),
  person_id          integer REFERENCES people (id),
  citizen_request_id bigint REFERENCES citizen_requests (id),
  station_id         integer REFERENCES stations (id),
  rule_code          text REFERENCES points_rules (code),
  points             integer NOT NULL CHECK (points <> 0),
  event_id           bigint REFERENCES events (id),
  inspection_id      bigint REFERENCES inspections (id),
  redemption_id      bigint REFERENCES points_redemptions (id),
  ref                text NOT NULL,
  reason             text NOT NULL,
  at                 timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(person_id, citizen_request_id) = 1),
  CHECK ((rule_code IS NULL) = (redemption_id IS NOT NULL))
);
-- The job may run again, or twice at once, without paying twice (S14 abuse rules).
CREATE UNIQUE INDEX points_ledger_once ON points_ledger (holder, coalesce(rule_code, ''), ref);
-- A reported thing pays one report, whoever else reported it too (duplicates earn once).
CREATE UNIQUE INDEX points_ledger_one_per_thing ON points_ledger (ref) WHERE ref LIKE 'thing:%';
CREATE INDEX points_ledger_holder ON points_ledger (holder, at);
CREATE INDEX points_ledger_person ON points_ledger (person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX points_ledger_station_at ON points_ledger (station_id, at);
CREATE INDEX points_ledger_event ON points_ledger (event_id) WHERE event_id IS NOT NULL;
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Where the job left off: events whose log moved, and inspections recorded, since then are looked at again.
CREATE TABLE points_job (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_at timestamptz
);
INSERT INTO points_job (id, last_at) VALUES (true, NULL);

-- The duplicate and merge chains are walked downwards from their root (server/points/settle.ts membersOf).
CREATE INDEX events_chain_parent ON events ((coalesce(merged_into, duplicate_of))) WHERE coalesce(merged_into, duplicate_of) IS NOT NULL;
-- The job finds the events whose log moved since its last run.
CREATE INDEX event_log_at ON event_log (at);
