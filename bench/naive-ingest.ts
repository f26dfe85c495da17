// bench:events baseline — the ingest path a first implementation would write: one transaction per
// event, one round trip per question (BEGIN; grid by ST_Contains; village → town; station;
// duplicates; is the idempotency key known; INSERT event; INSERT log; INSERT audit; COMMIT).
//
// Everything around the database is ours, unchanged, so the comparison isolates the database path:
// it is mounted behind our HTTP server (server/http/server.ts, in the slot Next.js takes) at
// POST /naive/v1/events, authenticates with the same cached API keys, validates the same
// EventReportV1, checks the category and computes the deadlines with the same reference cache, and
// publishes the same IncidentV1 after COMMIT. Each query's predicates are the ones our single
// statement uses (same indexes usable), so what differs is the number of round trips and how long
// a pooled connection is held. Point reports only: that is what the bench sends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventReportV1, type EventReceiptV1, type Placement } from '@/lib/contracts/events';
import { CHANNELS, type IncidentV1 } from '@/lib/contracts/live';
import { resolveLimits, stageDeadlines } from '@/lib/events/deadlines';
import type { EventState } from '@/lib/events/machine';
import { apiKeyOf, bearer } from '../server/auth/apikey';
import type { AppContext } from '../server/context';
import { requestHash } from '../server/events/report';
import { DomainError } from '../server/errors';
import { errorAnswer, readBody, send } from '../server/http/router';

export const NAIVE_PATH = '/naive/v1/events';

const OPEN = `('closed', 'returned', 'merged', 'rated')`;
const TS = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface Inserted {
  id: number;
  state: EventState;
  placement: Placement;
  deadlineAt: string | null;
  reportedAt: string;
}

async function ingest(app: AppContext, req: IncomingMessage, ip: string): Promise<{ status: number; body: EventReceiptV1 }> {
  const token = bearer(req);
  if (!token) throw new DomainError('unauthorized', 'unauthorized', '缺少 API 密钥');
  const key = await apiKeyOf(app.db, token);
  if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/json')
    throw new DomainError('unsupported_media', 'unsupported_media_type', '请求体须为 application/json');
  const r = await readBody(req, EventReportV1);
  if (!r.location) throw new DomainError('unprocessable', 'unsupported', 'the naive baseline takes point reports only');
  const ref = await app.reference.get();
  const category = ref.categories.get(r.category);
  if (!category || !category.active || category.parentCode !== null) throw new DomainError('unprocessable', 'unknown_category', `未知的事件类别：${r.category}`);
  if (r.subcategory !== undefined && ref.categories.get(r.subcategory)?.parentCode !== r.category)
    throw new DomainError('unprocessable', 'unknown_subcategory', `类别 ${r.category} 下没有子类 ${r.subcategory}`);
  const severity = r.severity ?? category.severity;
  const now = new Date();
  const { due, red } = stageDeadlines('accept', now, resolveLimits(ref.limits, { category: r.category, subcategory: r.subcategory, severity }), ref.calendar);
  const hash = requestHash(r);
  const { lon, lat } = r.location;

  const client = await app.db.connect();
  let receipt: EventReceiptV1;
  let incident: Omit<IncidentV1, 'seq'> | null = null;
  try {
    await client.query('BEGIN');
    const grid = await client.query<{ code: string; village: string }>(
      `SELECT code, parent_code AS village FROM regions
        WHERE level = 'grid' AND ST_Contains(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`,
      [lon, lat],
    );
    const g = grid.rows[0];
    if (!g) throw new DomainError('unprocessable', 'outside_district', '位置不在本区任何网格内');
    const village = await client.query<{ town: string }>(`SELECT parent_code AS town FROM regions WHERE code = $1`, [g.village]);
    const station = await client.query<{ id: number }>(`SELECT station_id AS id FROM station_villages WHERE village_code = $1`, [g.village]);
    const dup = await client.query<{ id: number }>(
      `SELECT id FROM events
        WHERE category = $1 AND state NOT IN ${OPEN} AND reported_at > $4::timestamptz - interval '24 hours'
          AND location && ST_Expand(ST_SetSRID(ST_MakePoint($2, $3), 4326), 0.0015)
          AND ST_DWithin(location::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, 100)
        ORDER BY ST_Distance(location::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) LIMIT 1`,
      [r.category, lon, lat, now],
    );
    const known = await client.query<Inserted & { requestHash: string | null; duplicateOf: number | null }>(
      `SELECT id, state, placement, ${TS('deadline_at')} AS "deadlineAt", ${TS('reported_at')} AS "reportedAt",
              request_hash AS "requestHash", duplicate_of AS "duplicateOf"
         FROM events WHERE source = $1 AND idempotency_key = $2`,
      [key.source, r.idempotencyKey],
    );
    const town = village.rows[0]?.town ?? null;
    const stationId = station.rows[0]?.id ?? null;
    if (known.rows[0]) {
      const k = known.rows[0];
      await client.query('COMMIT');
      if (k.requestHash !== hash) throw new DomainError('conflict', 'idempotency_conflict', `幂等键 ${r.idempotencyKey} 已用于另一条不同的上报`);
      receipt = { id: k.id, created: false, state: k.state, placement: k.placement, gridCode: g.code, villageCode: g.village, townCode: town, stationId, duplicateOf: k.duplicateOf, deadlineAt: k.deadlineAt };
    } else {
      const duplicateOf = dup.rows[0]?.id ?? null;
      const ins = await client.query<Inserted>(
        `INSERT INTO events (source, idempotency_key, request_hash, category, subcategory, title, description, severity,
                             location, grid_code, village_code, town_code, station_id, placement, occurred_at,
                             reporter_name, reporter_phone, reported_by_citizen, photos, external_id, address,
                             accept_due_at, accept_red_at, deadline_at, red_at, reported_by, reported_at, updated_at, duplicate_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_MakePoint($9, $10), 4326), $11, $12, $13, $14, 'point', $15,
                 $16, $17, false, $18, $19, $20, $21, $22, $21, $22, NULL, $23, $23, $24)
         RETURNING id, state, placement, ${TS('deadline_at')} AS "deadlineAt", ${TS('reported_at')} AS "reportedAt"`,
        [key.source, r.idempotencyKey, hash, r.category, r.subcategory ?? null, r.title, r.description ?? null, severity,
          lon, lat, g.code, g.village, town, stationId, r.occurredAt ?? null,
          r.reporter?.name ?? null, r.reporter?.phone ?? null, r.photos, r.externalId ?? null, r.address ?? null, due, red, now, duplicateOf],
      );
      const e = ins.rows[0];
      await client.query(
        `INSERT INTO event_log (event_id, at, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
         VALUES ($1, $2, NULL, 'system', $3, NULL, 'reported', 'report', NULL, jsonb_build_object('source', $4::text))`,
        [e.id, now, key.name, key.source],
      );
      await client.query(
        `INSERT INTO audit_log (at, account_id, role, action, target, detail, ip)
         VALUES ($1, NULL, 'system', 'event.report', 'event:' || $2, jsonb_build_object('source', $3::text, 'idempotencyKey', $4::text), $5)`,
        [now, e.id, key.source, r.idempotencyKey, ip],
      );
      await client.query('COMMIT');
      receipt = { id: e.id, created: true, state: e.state, placement: e.placement, gridCode: g.code, villageCode: g.village, townCode: town, stationId, duplicateOf, deadlineAt: e.deadlineAt };
      incident = {
        v: 1, id: e.id, category: r.category, categoryLabel: category.label, title: r.title, severity, state: e.state, lon, lat,
        gridCode: g.code, stationId, reportedAt: e.reportedAt, deadlineAt: e.deadlineAt, redAt: red.toISOString(), card: 'none',
        department: null, villageCode: g.village, duplicateOf, lockedBy: null, source: key.source, taskDepartments: [], kind: 'problem', aboutEventId: null, supervisionReopened: false,
      };
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  if (incident) await app.bus.publish(CHANNELS.incidents, JSON.stringify({ ...incident, seq: await app.bus.incr('incidents.seq') }));
  return { status: receipt.created ? 201 : 200, body: receipt };
}

/** The handler for the slot after our router: POST /naive/v1/events, anything else to `next`. */
export function naiveIngestHandler(
  app: AppContext,
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== NAIVE_PATH) return next(req, res);
    try {
      const { status, body } = await ingest(app, req, req.socket.remoteAddress ?? '');
      send(res, status, body, { location: `/api/v1/events/${body.id}` });
    } catch (err) {
      // The same answers as the real route, so the two are compared on equal terms.
      const answer = errorAnswer(err);
      if (answer.log === 'error') console.error('[naive]', err);
      if (!res.headersSent) send(res, answer.status, answer.body, answer.headers);
    }
  };
}
