-- Mediation (issue 14 point 5; S4 branded mediation studios and mediators, S8 mediation of marriage,
-- family, neighbour, homestead and compensation disputes). A case belongs to one station, like an
-- event; it may come from an event or a resident's 调解申请 (citizen_requests), or be opened by hand.

CREATE TABLE mediation_studios (
  id          serial PRIMARY KEY,
  station_id  integer NOT NULL REFERENCES stations (id),
  name        text NOT NULL,
  address     text,
  -- Dispute kinds it takes (DISPUTE_KIND_LABEL in lib/contracts/citizen.ts); empty: any.
  kinds       text[] NOT NULL DEFAULT '{}',
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, name)
);

CREATE TABLE mediators (
  id          serial PRIMARY KEY,
  station_id  integer NOT NULL REFERENCES stations (id),
  studio_id   integer REFERENCES mediation_studios (id),
  -- A mediator with an account: their own cases on the phone (GET /api/v1/mediation/mine).
  person_id   integer REFERENCES people (id),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('people', 'lawyer', 'xiangxian', 'specialised', 'other')),
  kinds       text[] NOT NULL DEFAULT '{}',
  phone       text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mediators_station_name ON mediators (station_id, name);
CREATE INDEX mediators_person ON mediators (person_id) WHERE person_id IS NOT NULL;

-- Time limits as data (人民调解法：一般在 30 日内调解终结). A row with a dispute kind overrides the default.
CREATE TABLE mediation_limits (
  dispute_kind text UNIQUE,
  days         integer NOT NULL CHECK (days BETWEEN 1 AND 365)
);
INSERT INTO mediation_limits (dispute_kind, days) VALUES (NULL, 30);

CREATE TABLE mediation_cases (
  id                 bigserial PRIMARY KEY,
  station_id         integer NOT NULL REFERENCES stations (id),
  studio_id          integer REFERENCES mediation_studios (id),
  mediator_id        integer REFERENCES mediators (id),
  event_id           bigint REFERENCES events (id),
  citizen_request_id bigint REFERENCES citizen_requests (id),
  dispute_kind       text NOT NULL,
  -- [{name, side: applicant|respondent, phone?, address?}]
  parties            jsonb NOT NULL,
  summary            text NOT NULL,
  state              text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  opened_at          timestamptz NOT NULL DEFAULT now(),
  due_at             timestamptz NOT NULL,
  -- The cockpit's 调解成功率 reads (station_id, closed_at, outcome = 'success') (server/analytics/figures.ts).
  outcome            text CHECK (outcome IN ('success', 'failed', 'referred')),
  referred_to        text,
  closed_at          timestamptz,
  -- {terms, obligations, performance, signedAt}: the 调解协议书.
  agreement          jsonb,
  followup_due_at    timestamptz,
  followup_at        timestamptz,
  followup_note      text,
  -- The deputy chief is told once of a case past its limit, and once of a follow-up visit due.
  overdue_noticed_at  timestamptz,
  followup_noticed_at timestamptz,
  opened_by          integer REFERENCES accounts (id),
  idempotency_key    text NOT NULL UNIQUE,
  -- sha256 of what the open asked for (less its key): a key reused for another request is a 409 (review L3).
  -- NULL on rows written without it (fixtures): not compared.
  request_hash       text,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((state = 'closed') = (outcome IS NOT NULL)),
  CHECK (outcome <> 'success' OR agreement ? 'terms'),
  CHECK (outcome <> 'referred' OR referred_to IS NOT NULL)
);
-- One case per event: a second open answers the first.
CREATE UNIQUE INDEX mediation_cases_event ON mediation_cases (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX mediation_cases_station ON mediation_cases (station_id, state, due_at);
CREATE INDEX mediation_cases_closed ON mediation_cases (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX mediation_cases_mediator ON mediation_cases (mediator_id) WHERE mediator_id IS NOT NULL;

CREATE TABLE mediation_sessions (
  id           bigserial PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES mediation_cases (id),
  at           timestamptz NOT NULL,
  place        text NOT NULL,
  participants text[] NOT NULL DEFAULT '{}',
  notes        text,
  recorded_by  integer REFERENCES accounts (id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  request_key  text NOT NULL UNIQUE
);
CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id, at);
