-- Photos (issue 10): upload quotas per account and per API key, and the orphan sweep.

-- A source system's uploads are counted against its key (uploaded_by stays NULL for them).
-- kept: the sweep found the photo referenced; once referenced always referenced (events and
-- their log are never rewritten), so each photo is checked once, not on every run.
ALTER TABLE photos
  ADD COLUMN api_key_id integer REFERENCES api_keys (id),
  ADD COLUMN kept       boolean NOT NULL DEFAULT false;

-- Every upload counts the uploader's last 24 h.
CREATE INDEX photos_account_quota ON photos (uploaded_by, uploaded_at) WHERE uploaded_by IS NOT NULL;
CREATE INDEX photos_api_key_quota ON photos (api_key_id, uploaded_at) WHERE api_key_id IS NOT NULL;
CREATE INDEX photos_unchecked ON photos (uploaded_at) WHERE NOT kept;

-- The sweep asks whether an event or a step (handle, verify: event_log.data.photos) names a photo.
-- Partial, so the many events and steps without photos cost the hot insert path nothing.
CREATE INDEX events_photos ON events USING gin (photos) WHERE photos <> '{}';
CREATE INDEX event_log_photos ON event_log USING gin ((data -> 'photos')) WHERE data ? 'photos';
