-- Append-only logs: history is never rewritten (S12's closed loop is only as good as its record).
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TABLE events (
  id              bigserial PRIMARY KEY,
  source          text NOT NULL,
  idempotency_key text,
  category        text NOT NULL,
  subcategory     text,
  title           text NOT NULL,
  description     text,
  severity        text NOT NULL DEFAULT 'normal',
  state           text NOT NULL DEFAULT 'reported',
  location        geometry(Point, 4326),
  grid_code       text REFERENCES regions (code),
  village_code    text REFERENCES regions (code),
  town_code       text REFERENCES regions (code),
  station_id      integer REFERENCES stations (id),
  reported_by     integer REFERENCES accounts (id),
  reported_at     timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, idempotency_key)
);
CREATE INDEX events_location_gist ON events USING gist (location);
CREATE INDEX events_state ON events (state);
CREATE INDEX events_reported_at ON events (reported_at);

CREATE TABLE event_log (
  id         bigserial PRIMARY KEY,
  event_id   bigint NOT NULL REFERENCES events (id),
  at         timestamptz NOT NULL DEFAULT now(),
  actor_id   integer REFERENCES accounts (id),
  actor_role text,
  from_state text,
  to_state   text NOT NULL,
  note       text,
  data       jsonb
);
CREATE INDEX event_log_event ON event_log (event_id, at);
CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- S11 consultations and S12 dispatches; later issues add their workflow.
CREATE TABLE consultations (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('emergency', 'weekly', 'monthly')),
  station_id      integer NOT NULL REFERENCES stations (id),
  title           text NOT NULL,
  state           text NOT NULL DEFAULT 'open',
  called_by       integer REFERENCES accounts (id),
  idempotency_key text UNIQUE,
  scheduled_at    timestamptz,
  started_at      timestamptz,
  ended_at        timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consultation_events (
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  event_id        bigint NOT NULL REFERENCES events (id),
  PRIMARY KEY (consultation_id, event_id)
);

CREATE TABLE consultation_participants (
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  person_id       integer NOT NULL REFERENCES people (id),
  response        text NOT NULL DEFAULT 'invited' CHECK (response IN ('invited', 'accepted', 'declined', 'attended')),
  responded_at    timestamptz,
  PRIMARY KEY (consultation_id, person_id)
);

CREATE TABLE dispatches (
  id              bigserial PRIMARY KEY,
  event_id        bigint REFERENCES events (id),
  unit_id         integer NOT NULL REFERENCES units (id),
  state           text NOT NULL DEFAULT 'dispatched'
                  CHECK (state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene', 'cleared', 'cancelled')),
  created_by      integer REFERENCES accounts (id),
  idempotency_key text UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One active dispatch per unit (S12 linked disposal must not double-book a unit).
CREATE UNIQUE INDEX dispatches_one_active_per_unit ON dispatches (unit_id)
  WHERE state IN ('dispatched', 'acknowledged', 'en_route', 'on_scene');

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  account_id integer REFERENCES accounts (id),
  role       text,
  action     text NOT NULL,
  target     text,
  detail     jsonb,
  ip         text
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
