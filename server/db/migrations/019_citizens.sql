-- The citizens' channel (issue 14; S9, S14): residents report problems, request mediation, ask
-- policy questions and complain or suggest, from /m or an Open311 client; each request is an
-- event in the station's queue (reported_by_citizen) and a row here that the resident tracks by
-- its code. What the resident typed about themselves (name, phone) stays here and on the event,
-- and leaves only through the audited contact read of the station's leaders.

-- What an event is, beyond its category: a problem to handle on site (the closed loop of S12),
-- or something answered in words (a question, a complaint, a suggestion), or a dispute to mediate.
ALTER TABLE events
  ADD COLUMN kind text NOT NULL DEFAULT 'problem'
    CHECK (kind IN ('problem', 'mediation', 'question', 'complaint', 'suggestion')),
  -- A complaint about how an earlier event was handled (S14): that event's supervision reopens.
  ADD COLUMN about_event_id bigint REFERENCES events (id),
  ADD COLUMN supervision_reopened_at timestamptz;
CREATE INDEX events_about ON events (about_event_id) WHERE about_event_id IS NOT NULL;

CREATE TABLE citizen_requests (
  id              bigserial PRIMARY KEY,
  -- The tracking code (10 Crockford base-32 characters, ~50 random bits): all a resident needs to
  -- follow the request, and its Open311 service_request_id. Never derived from the id.
  code            text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
  -- Six digits the station can read out to a resident who calls or comes in; with the phone
  -- number it finds the request (lookups are rate-limited: it is short).
  pin             text NOT NULL CHECK (pin ~ '^[0-9]{6}$'),
  kind            text NOT NULL CHECK (kind IN ('report', 'mediation', 'question', 'complaint', 'suggestion')),
  channel         text NOT NULL CHECK (channel IN ('web', 'open311')),
  -- The Open311 client application that posted it (its API key, source 'open311').
  api_key_id      integer REFERENCES api_keys (id),
  -- The phone's random id (localStorage): its rate limit, and which uploads it may attach.
  device_id       text,
  idempotency_key text NOT NULL,
  request_hash    text NOT NULL,
  -- Category, words and place, normalised: the same resident sending the same report again
  -- within a day gets the first request back (merged), not a second event.
  content_hash    text NOT NULL,
  event_id        bigint NOT NULL REFERENCES events (id),
  -- Another resident's identical report of the same thing: this request follows that event.
  merged          boolean NOT NULL DEFAULT false,
  station_id      integer REFERENCES stations (id),
  name            text,
  phone           text,
  -- Kind-specific: mediation's other party, dispute kind and preferred time; a complaint's `about`
  -- code; Open311's attributes, email and media_url.
  details         jsonb NOT NULL DEFAULT '{}',
  rating          smallint CHECK (rating BETWEEN 1 AND 5),
  rating_comment  text,
  rated_at        timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((channel = 'open311') = (api_key_id IS NOT NULL)),
  CHECK ((rating IS NULL) = (rated_at IS NULL))
);
-- A retry with the same key from the same client is the same request.
CREATE UNIQUE INDEX citizen_requests_idempotency
  ON citizen_requests (channel, coalesce(api_key_id, 0), coalesce(device_id, ''), idempotency_key);
CREATE INDEX citizen_requests_event ON citizen_requests (event_id);
CREATE INDEX citizen_requests_phone ON citizen_requests (phone, created_at) WHERE phone IS NOT NULL;
CREATE INDEX citizen_requests_content ON citizen_requests (content_hash, created_at);
CREATE INDEX citizen_requests_client ON citizen_requests (api_key_id, created_at) WHERE api_key_id IS NOT NULL;
CREATE INDEX citizen_requests_station_time ON citizen_requests (station_id, created_at);

-- A resident's photo belongs to the phone that uploaded it, as a gridder's to their account.
ALTER TABLE photos ADD COLUMN device_id text;
CREATE INDEX photos_device_quota ON photos (device_id, uploaded_at) WHERE device_id IS NOT NULL;
ALTER TABLE photo_uploaders ADD COLUMN device_id text;
ALTER TABLE photo_uploaders DROP CONSTRAINT photo_uploaders_check;
ALTER TABLE photo_uploaders ADD CONSTRAINT photo_uploaders_one_uploader CHECK (num_nonnulls(account_id, api_key_id, device_id) = 1);
CREATE UNIQUE INDEX photo_uploaders_device ON photo_uploaders (photo_id, device_id) WHERE device_id IS NOT NULL;

-- S14 opt-in: a station may publish its closed citizens' reports on an anonymised public map.
ALTER TABLE stations ADD COLUMN publish_closed_reports boolean NOT NULL DEFAULT false;
