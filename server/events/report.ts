import { createHash } from 'node:crypto';
import type { EventReceiptV1, EventReportV1, Placement } from '@/lib/contracts/events';
import { CHANNELS, type IncidentV1 } from '@/lib/contracts/live';
import { resolveLimits, stageDeadlines } from '@/lib/events/deadlines';
import type { EventState } from '@/lib/events/machine';
import { matchVillage } from '@/lib/geo/address';
import type { AppContext } from '../context';
import { HttpError } from '../http/errors';

/** Who reported: a staff account (field app), or a system by its API key. */
export interface Reporter {
  source: string;
  accountId: number | null;
  role: string;
  name: string;
  citizen?: boolean;
  ip?: string;
}

const unprocessable = (path: string, code: string, message: string) => new HttpError(422, code, message, [{ path, message }]);

/** A digest of what was asked, without the key: a key reused for a different report is refused. */
export function requestHash(r: EventReportV1): string {
  const rest = { ...r, idempotencyKey: undefined };
  return createHash('sha256').update(JSON.stringify(rest, Object.keys(rest).sort())).digest('hex').slice(0, 32);
}

interface Row {
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

const RETURNING = `id, state, placement, grid_code AS "gridCode", village_code AS "villageCode", town_code AS "townCode",
  station_id AS "stationId", duplicate_of AS "duplicateOf",
  to_char(deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "deadlineAt",
  to_char(red_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "redAt",
  ST_X(location) AS lon, ST_Y(location) AS lat,
  to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "reportedAt", request_hash AS "requestHash"`;

/**
 * One statement places the event (grid by point in polygon, else the village named), flags a
 * likely duplicate (same category, open, ≤100 m, ≤24 h), inserts it unless its idempotency key
 * is known, and writes its first log step and audit entry: all committed or nothing. Then it is
 * published. S9 intake, S12 "everything found enters the system".
 */
const INSERT_SQL = `
WITH p AS (
  SELECT CASE WHEN $9::float8 IS NOT NULL THEN ST_SetSRID(ST_MakePoint($9::float8, $10::float8), 4326)
              ELSE (SELECT ST_PointOnSurface(geom) FROM regions WHERE code = $11 AND level = 'village') END AS pt),
g AS (SELECT g.code AS grid, g.parent_code AS village FROM regions g, p
       WHERE $9::float8 IS NOT NULL AND g.level = 'grid' AND ST_Intersects(g.geom, p.pt) LIMIT 1),
loc AS (SELECT p.pt, g.grid, CASE WHEN $9::float8 IS NOT NULL THEN g.village ELSE $11 END AS village FROM p LEFT JOIN g ON true),
placed AS (SELECT loc.*, v.parent_code AS town, (SELECT station_id FROM station_villages WHERE village_code = loc.village) AS station
             FROM loc JOIN regions v ON v.code = loc.village),
dup AS (SELECT e.id FROM events e, p
         WHERE e.category = $4 AND e.state NOT IN ('closed', 'returned', 'merged', 'rated')
           AND e.reported_at > $25::timestamptz - interval '24 hours'
           AND e.location && ST_Expand(p.pt, 0.0015)
           AND ST_DWithin(e.location::geography, p.pt::geography, 100)
         ORDER BY ST_Distance(e.location::geography, p.pt::geography) LIMIT 1),
ins AS (
  INSERT INTO events (source, idempotency_key, request_hash, category, subcategory, title, description, severity,
                      location, grid_code, village_code, town_code, station_id, placement, occurred_at,
                      reporter_name, reporter_phone, reported_by_citizen, photos, external_id, address,
                      accept_due_at, accept_red_at, deadline_at, red_at, reported_by, reported_at, updated_at, duplicate_of)
  SELECT $1, $2, $3, $4, $5, $6, $7, $8, placed.pt, placed.grid, placed.village, placed.town, placed.station,
         CASE WHEN $9::float8 IS NOT NULL THEN 'point' ELSE 'village' END, $12, $13, $14, $15, $16, $17, $18,
         $19, $20, $19, $20, $21, $25, $25, (SELECT id FROM dup)
    FROM placed
  ON CONFLICT (source, idempotency_key) DO NOTHING
  RETURNING *),
lg AS (INSERT INTO event_log (event_id, at, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
       SELECT id, $25, $21, $22, $23, NULL, 'reported', 'report', NULL, jsonb_build_object('source', $1::text) FROM ins),
au AS (INSERT INTO audit_log (at, account_id, role, action, target, detail, ip)
       SELECT $25, $21, $22, 'event.report', 'event:' || id, jsonb_build_object('source', $1::text, 'idempotencyKey', $2::text), $24 FROM ins)
SELECT ${RETURNING} FROM ins`;

/** What reporting needs of the app: usable from the simulator and tests without an HTTP server. */
export type ReportDeps = Pick<AppContext, 'db' | 'bus' | 'reference'>;

export async function reportEvent(app: ReportDeps, who: Reporter, r: EventReportV1): Promise<EventReceiptV1> {
  const ref = await app.reference.get();
  const category = ref.categories.get(r.category);
  if (!category || !category.active || category.parentCode !== null)
    throw unprocessable('body.category', 'unknown_category', `未知的事件类别：${r.category}`);
  const sub = r.subcategory === undefined ? undefined : ref.categories.get(r.subcategory);
  if (r.subcategory !== undefined && (!sub || !sub.active || sub.parentCode !== r.category))
    throw unprocessable('body.subcategory', 'unknown_subcategory', `类别 ${r.category} 下没有子类 ${r.subcategory}`);
  let villageCode: string | null = null;
  if (!r.location) {
    if (r.villageCode) {
      if (!ref.villages.some((v) => v.code === r.villageCode))
        throw unprocessable('body.villageCode', 'unknown_village', `未知的村社代码：${r.villageCode}`);
      villageCode = r.villageCode;
    } else {
      const m = matchVillage(r.address ?? '', ref.villages);
      if (!m.ok)
        throw unprocessable('body.address', 'unplaceable', m.reason === 'ambiguous' ? '地址对应多个村社，请写明镇街或提供位置' : '无法从地址识别村社，请提供位置或村社代码');
      villageCode = m.code;
    }
  }
  if (r.photos.length) {
    const { rows } = await app.db.query<{ id: string }>(`SELECT id FROM photos WHERE id = ANY($1::text[])`, [r.photos]);
    const missing = r.photos.findIndex((p) => !rows.some((x) => x.id === p));
    if (missing >= 0) throw unprocessable(`body.photos.${missing}`, 'unknown_photo', '照片未上传或编号有误');
  }

  const severity = r.severity ?? sub?.severity ?? category.severity;
  const now = new Date();
  const limits = resolveLimits(ref.limits, { category: r.category, subcategory: r.subcategory, severity });
  const { due, red } = stageDeadlines('accept', now, limits, ref.calendar);
  const hash = requestHash(r);
  const { rows } = await app.db.query<Row>(INSERT_SQL, [
    who.source, r.idempotencyKey, hash, r.category, r.subcategory ?? null, r.title, r.description ?? null, severity,
    r.location?.lon ?? null, r.location?.lat ?? null, villageCode, r.occurredAt ?? null,
    r.reporter?.name ?? null, r.reporter?.phone ?? null, who.citizen ?? false, r.photos, r.externalId ?? null, r.address ?? null,
    due, red, who.accountId, who.role, who.name, who.ip ?? null, now,
  ]);
  const row = rows[0];
  if (!row) return replay(app, who.source, r.idempotencyKey, hash);

  const incident: IncidentV1 = {
    v: 1, seq: await app.bus.incr('incidents.seq'), id: row.id, category: r.category, categoryLabel: category.label,
    title: r.title, severity, state: row.state, lon: row.lon, lat: row.lat, gridCode: row.gridCode, stationId: row.stationId,
    reportedAt: row.reportedAt, deadlineAt: row.deadlineAt, redAt: row.redAt, card: 'none', department: null,
    villageCode: row.villageCode, duplicateOf: row.duplicateOf, lockedBy: null, source: who.source,
  };
  await app.bus.publish(CHANNELS.incidents, JSON.stringify(incident));
  return receipt(row, true);
}

/** The key is known: the first event is the answer, unless the key came with a different report. */
async function replay(app: ReportDeps, source: string, key: string, hash: string): Promise<EventReceiptV1> {
  const { rows } = await app.db.query<Row>(`SELECT ${RETURNING} FROM events WHERE source = $1 AND idempotency_key = $2`, [source, key]);
  const row = rows[0];
  if (!row) throw unprocessable('body.location', 'outside_district', '位置不在本区任何网格内');
  if (row.requestHash !== hash)
    throw new HttpError(409, 'idempotency_conflict', `幂等键 ${key} 已用于另一条不同的上报`, [{ path: 'body.idempotencyKey', message: '已用于另一条不同的上报' }]);
  return receipt(row, false);
}

function receipt(row: Row, created: boolean): EventReceiptV1 {
  return {
    id: row.id, created, state: row.state, placement: row.placement, gridCode: row.gridCode, villageCode: row.villageCode,
    townCode: row.townCode, stationId: row.stationId, duplicateOf: row.duplicateOf, deadlineAt: row.deadlineAt,
  };
}
