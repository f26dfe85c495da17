import type { EventState } from '@/lib/events/machine';
import type { Placement } from '@/lib/contracts/events';
import type { Db } from '../db/pool';
import { DONE_SQL, isoSql } from '../db/sql';

/** One new event as the writer takes it: validated, its village resolved, its deadlines computed. */
export interface NewEvent {
  source: string;
  key: string;
  hash: string;
  category: string;
  subcategory: string | null;
  title: string;
  description: string | null;
  severity: string;
  lon: number | null;
  lat: number | null;
  /** Set when there is no point: the event is placed at this village. */
  village: string | null;
  occurred: string | null;
  rname: string | null;
  rphone: string | null;
  citizen: boolean;
  photos: string[];
  ext: string | null;
  address: string | null;
  due: string;
  red: string;
  actor: number | null;
  role: string;
  aname: string;
  ip: string | null;
  at: string;
  /** Issue 14: what the event is (default problem), and a complaint's earlier event. */
  kind?: string;
  about?: number | null;
}

export interface WrittenEvent {
  id: number;
  state: EventState;
  placement: Placement;
  gridCode: string | null;
  villageCode: string | null;
  townCode: string | null;
  stationId: number | null;
  duplicateOf: number | null;
  deadlineAt: string | null;
  redAt: string | null;
  lon: number;
  lat: number;
  reportedAt: string;
  requestHash: string | null;
}

export const WRITTEN = `id, state, placement, grid_code AS "gridCode", village_code AS "villageCode", town_code AS "townCode",
  station_id AS "stationId", duplicate_of AS "duplicateOf", ${isoSql('deadline_at')} AS "deadlineAt", ${isoSql('red_at')} AS "redAt",
  ST_X(location) AS lon, ST_Y(location) AS lat, ${isoSql('reported_at')} AS "reportedAt", request_hash AS "requestHash"`;

/**
 * One statement writes a batch of reports: each placed in its grid by point in polygon (or at the
 * village named), flagged when an open event of its category lies within 100 m and 24 h, inserted
 * unless its idempotency key is known, with its first log step and audit entry — all committed or
 * none. An event whose point lies in no grid is not inserted (the caller answers 422).
 */
const WRITE_SQL = `
WITH b AS (
  SELECT * FROM json_to_recordset($1::json) AS b(
    source text, key text, hash text, category text, subcategory text, title text, description text, severity text,
    lon float8, lat float8, village text, occurred timestamptz, rname text, rphone text, citizen boolean, photos text[],
    ext text, address text, due timestamptz, red timestamptz, actor int, role text, aname text, ip text, at timestamptz,
    kind text, about bigint)),
p AS (
  SELECT b.*, CASE WHEN b.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326)
                   ELSE (SELECT ST_PointOnSurface(r.geom) FROM regions r WHERE r.code = b.village AND r.level = 'village') END AS pt
    FROM b),
placed AS (
  SELECT p.*, g.grid, CASE WHEN p.lon IS NOT NULL THEN g.village ELSE p.village END AS vcode
    FROM p LEFT JOIN LATERAL (
      SELECT r.code AS grid, r.parent_code AS village FROM regions r
       WHERE p.lon IS NOT NULL AND r.level = 'grid' AND ST_Intersects(r.geom, p.pt) ORDER BY r.code LIMIT 1) g ON true),
ready AS (
  SELECT placed.*, v.parent_code AS town,
         (SELECT station_id FROM station_villages WHERE village_code = placed.vcode) AS station,
         -- The spatial box first (OFFSET 0 keeps the planner from starting at the category's whole
         -- day, which grows with every report: bench:events slowed down as the table filled).
         (SELECT near.id FROM (SELECT e.id, e.location, e.category, e.state, e.reported_at FROM events e
                                WHERE e.location && ST_Expand(placed.pt, 0.0015) OFFSET 0) near
           WHERE near.category = placed.category AND near.state NOT IN ${DONE_SQL}
             AND near.reported_at > placed.at - interval '24 hours'
             AND ST_DWithin(near.location::geography, placed.pt::geography, 100)
           ORDER BY ST_Distance(near.location::geography, placed.pt::geography) LIMIT 1) AS dup
    FROM placed JOIN regions v ON v.code = placed.vcode),
ins AS (
  INSERT INTO events (source, idempotency_key, request_hash, category, subcategory, title, description, severity,
                      location, grid_code, village_code, town_code, station_id, placement, occurred_at,
                      reporter_name, reporter_phone, reported_by_citizen, photos, external_id, address,
                      accept_due_at, accept_red_at, deadline_at, red_at, reported_by, reported_at, updated_at, duplicate_of,
                      kind, about_event_id)
  SELECT source, key, hash, category, subcategory, title, description, severity, pt, grid, vcode, town, station,
         CASE WHEN lon IS NOT NULL THEN 'point' ELSE 'village' END, occurred, rname, rphone, citizen, photos, ext, address,
         due, red, due, red, actor, at, at, dup, coalesce(kind, 'problem'), about
    FROM ready
  ON CONFLICT (source, idempotency_key) DO NOTHING
  RETURNING *),
-- A batch holds each (source, key) once (the writer sees to it), so joining back is one to one.
lg AS (INSERT INTO event_log (event_id, at, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
       SELECT ins.id, ins.reported_at, ins.reported_by, b.role, b.aname, NULL, 'reported', 'report', NULL, jsonb_build_object('source', ins.source)
         FROM ins JOIN b ON b.source = ins.source AND b.key = ins.idempotency_key),
au AS (INSERT INTO audit_log (at, account_id, role, action, target, detail, ip)
       SELECT ins.reported_at, ins.reported_by, b.role, 'event.report', 'event:' || ins.id,
              jsonb_build_object('source', ins.source, 'idempotencyKey', ins.idempotency_key), b.ip
         FROM ins JOIN b ON b.source = ins.source AND b.key = ins.idempotency_key),
-- What the screens are told, sent after the commit (issue 11); the wall places events by their point.
ob AS (INSERT INTO outbox (kind, ref) SELECT 'incident', ins.id FROM ins WHERE ins.location IS NOT NULL)
SELECT ${WRITTEN}, source, idempotency_key AS key FROM ins`;

interface Pending {
  event: NewEvent;
  resolve: (row: WrittenEvent | null) => void;
  reject: (err: unknown) => void;
}

/** Concurrent statements per process; the rest of the pool stays free for everything else. */
const MAX_IN_FLIGHT = 4;
const MAX_BATCH = 100;

/**
 * Group commit for event intake. A report goes out at once when a statement slot is free; under
 * load the reports that arrive while all slots are busy go out together in the next statement,
 * so a burst costs a few commits instead of one each (bench:events). Nothing is acknowledged
 * before its batch has committed. A batch that fails is retried one report at a time, so one bad
 * report cannot sink the others.
 */
export class EventWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Statements run and reports sent in them: their ratio is the batching achieved. */
  readonly stats = { statements: 0, reports: 0 };

  constructor(private readonly db: Db) {}

  /** The committed row, or null when an event with this source and key already existed. */
  write(event: NewEvent): Promise<WrittenEvent | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch: Pending[] = [];
      const later: Pending[] = [];
      const keys = new Set<string>();
      for (const p of this.queue) {
        const k = `${p.event.source}\u0000${p.event.key}`;
        // The same key twice in one statement: the second goes in the next one and finds the first.
        if (keys.has(k) || batch.length >= MAX_BATCH) later.push(p);
        else {
          keys.add(k);
          batch.push(p);
        }
      }
      this.queue = later;
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.run(batch.map((p) => p.event));
      const byKey = new Map(rows.map((r) => [`${r.source}\u0000${r.key}`, r]));
      for (const p of batch) {
        const row = byKey.get(`${p.event.source}\u0000${p.event.key}`);
        p.resolve(row ?? null);
      }
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) await this.flush([p]);
    }
  }

  private async run(events: NewEvent[]): Promise<(WrittenEvent & { source: string; key: string })[]> {
    this.stats.statements += 1;
    this.stats.reports += events.length;
    // Named: each connection plans it once; planning cost more than running it (bench:events).
    const { rows } = await this.db.query<WrittenEvent & { source: string; key: string }>({
      name: 'write_events_v3',
      text: WRITE_SQL,
      values: [JSON.stringify(events)],
    });
    return rows;
  }
}

const writers = new WeakMap<Db, EventWriter>();
export function writerFor(db: Db): EventWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new EventWriter(db)));
  return w;
}
