-- Issue 10 review: a photo is its bytes, so two people can upload the same one. Each uploader is
-- recorded: each may attach it to their own report or step, and see it before it is attached.
CREATE TABLE photo_uploaders (
  photo_id   text NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  account_id integer REFERENCES accounts (id),
  api_key_id integer REFERENCES api_keys (id),
  at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((account_id IS NULL) <> (api_key_id IS NULL))
);
CREATE UNIQUE INDEX photo_uploaders_account ON photo_uploaders (photo_id, account_id) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX photo_uploaders_key ON photo_uploaders (photo_id, api_key_id) WHERE api_key_id IS NOT NULL;
INSERT INTO photo_uploaders (photo_id, account_id, api_key_id, at)
  SELECT id, uploaded_by, CASE WHEN uploaded_by IS NULL THEN api_key_id END, uploaded_at FROM photos
   WHERE uploaded_by IS NOT NULL OR api_key_id IS NOT NULL;

-- One unit per person: a phone reports as its person's unit, so a second would split their trace.
CREATE UNIQUE INDEX units_one_per_person ON units (person_id) WHERE person_id IS NOT NULL;
