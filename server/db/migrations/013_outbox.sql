-- Issue 11: a transactional outbox. The commit that changes an event, a dispatch, a consultation
-- or writes a notice also writes a row here; a publisher drains the rows to Redis afterwards and
-- retries while Redis is away. An answer to a client therefore depends on PostgreSQL alone.
CREATE TABLE outbox (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('incident', 'dispatch', 'consultation', 'notice')),
  ref        bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Wakes the publisher of every server process at the commit (a NOTIFY is delivered then, and
-- several in one transaction are delivered once); a poll catches anything a lost listener missed.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('liandong_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The incidents' sequence numbers, given out as the publisher sends them. It lives in PostgreSQL
-- (it was a Redis counter) so a wall can load its snapshot while Redis is away.
CREATE SEQUENCE incident_seq;
