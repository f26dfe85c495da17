import type { Reach } from '@/lib/access/scope';
import type { WarningKind, WarningV1 } from '@/lib/contracts/warnings';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { args } from '../db/scope';
import { forViewer, warningScopeSql } from './scope';

/** A warning row as WarningV1 (lib/contracts/warnings), the one shape of the API and the push. */
const SELECT = `SELECT 1 AS v, w.id, w.kind, w.level, w.hotspot_class AS "hotspotClass", w.title, w.explanation, w.numbers,
  w.station_id AS "stationId", w.grid_code AS "gridCode", w.category, ST_X(w.location) AS lon, ST_Y(w.location) AS lat,
  w.event_ids::text[] AS "eventIds", w.state, ${isoSql('w.raised_at')} AS "raisedAt", ${isoSql('w.updated_at')} AS "updatedAt",
  w.acknowledged_by_name AS "acknowledgedBy", ${isoSql('w.acknowledged_at')} AS "acknowledgedAt",
  CASE WHEN w.converted_kind IS NULL THEN NULL ELSE json_build_object('kind', w.converted_kind, 'id', w.converted_id) END AS "convertedTo",
  w.version
  FROM warnings w`;

type Row = Omit<WarningV1, 'eventIds' | 'id' | 'convertedTo'> & { id: string | number; eventIds: string[]; convertedTo: { kind: 'consultation' | 'inspection'; id: number } | null };

function shape(r: Row): WarningV1 {
  return { ...r, id: Number(r.id), eventIds: r.eventIds.map(Number), convertedTo: r.convertedTo && { kind: r.convertedTo.kind, id: Number(r.convertedTo.id) } };
}

export async function warningsById(q: Db | Tx, ids: readonly number[]): Promise<WarningV1[]> {
  if (!ids.length) return [];
  const { rows } = await q.query<Row>(`${SELECT} WHERE w.id = ANY($1::bigint[]) ORDER BY w.id`, [ids]);
  return rows.map(shape);
}

/**
 * Warnings the viewer may see (scope.ts), newest first. "active": still detected or still being
 * acted on (not cleared, and a converted one only while runs still find it).
 */
export async function listWarnings(db: Db, reach: Reach, q: { state: 'active' | 'all'; kind?: WarningKind }, limit = 500): Promise<WarningV1[]> {
  const { args: list, arg } = args();
  const where = [warningScopeSql(reach, 'w.station_id', arg)];
  if (q.state === 'active') where.push(`w.cleared_at IS NULL`);
  if (q.kind) where.push(`w.kind = ${arg(q.kind)}`);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE ${where.join(' AND ')}
      ORDER BY array_position(ARRAY['red','orange','yellow','blue'], w.level), w.updated_at DESC LIMIT ${arg(limit)}`,
    list,
  );
  return rows.map((r) => forViewer(shape(r), reach));
}
