import { KEY_PERSON_CATEGORIES, type KeyPerson, type KeyPersonInput, type KeyPersonPatch, type KeyPersonQuery } from '@/lib/contracts/keyPerson';
import { shownTo, type MaskViewer } from '@/lib/access/mask';
import { RESPONSIBLE_GRID_ROLES } from '@/lib/roles';
import type { Reach } from '@/lib/access/scope';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';
import { reachOfSession } from '../events/viewer';
import { audit } from './audit';

/**
 * The grids a session's person answers for (grid roles, and units placed in a grid): the mask
 * rule's and the phone's list. Only grids of the account's own station: a role row pointing at
 * another station's grid (a mistaken import) must not open that station's registers.
 */
export async function gridsOf(db: Db | Tx, uid: number): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `WITH mine AS (
       SELECT a.station_id, r.grid_code AS code FROM accounts a JOIN person_roles r ON r.person_id = a.person_id
        WHERE a.id = $1 AND r.grid_code IS NOT NULL AND r.role = ANY($2::text[])
       UNION
       SELECT a.station_id, u.grid_code FROM accounts a JOIN units u ON u.person_id = a.person_id
        WHERE a.id = $1 AND u.grid_code IS NOT NULL AND NOT u.is_team
          AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = a.person_id AND r.role = ANY($2::text[])))
     SELECT m.code FROM mine m JOIN regions g ON g.code = m.code JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE sv.station_id = m.station_id`,
    [uid, RESPONSIBLE_GRID_ROLES],
  );
  return rows.map((r) => r.code).sort();
}

/**
 * What the mask rule (lib/access/mask) needs of a session: the grids its person is responsible
 * for, from their grid roles and their units. Anything that answers key persons' personal data
 * (the register here, and lists of visits owed) masks through `maskerOf`.
 */
export async function maskViewerOf(q: Db | Tx, s: Session): Promise<MaskViewer> {
  if (!RESPONSIBLE_GRID_ROLES.includes(s.role) || s.uid <= 0) return { role: s.role, stationId: s.stationId, grids: [] };
  return { role: s.role, stationId: s.stationId, grids: await gridsOf(q, s.uid) };
}

/** A key person's row as stored, with the station that owns it (the mask rule asks it). */
export type StoredKeyPerson = Omit<KeyPerson, 'masked'> & { stationId: number | null };

/** Applies the mask rule for one session to any list of stored key persons. */
export async function maskerOf(q: Db | Tx, s: Session): Promise<(p: StoredKeyPerson) => KeyPerson> {
  const viewer = await maskViewerOf(q, s);
  return (p) => {
    // The station is the rule's input, not part of the answer.
    const shown: KeyPerson & { stationId?: number | null } = shownTo(viewer, p);
    delete shown.stationId;
    return shown;
  };
}

const FROM = `key_persons k JOIN regions g ON g.code = k.grid_code LEFT JOIN station_villages sv ON sv.village_code = g.parent_code`;
const COLUMNS = `k.id, k.name, k.id_number AS "idNumber", k.phone, k.category, k.visits_per_month AS "visitsPerMonth", k.address,
                 ST_X(k.location) AS lon, ST_Y(k.location) AS lat, k.grid_code AS "gridCode", k.note,
                 to_char(k.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt", sv.station_id AS "stationId"`;

/** Active key persons of the stations the viewer may see (scoped as places: grid → village → station). */
export async function listKeyPersons(q: Db | Tx, reach: Reach, filter: KeyPersonQuery & { id?: number } = {}): Promise<StoredKeyPerson[]> {
  const a = args();
  const where = [stationScopeSql(reach, 'sv.station_id', a.arg), 'k.removed_at IS NULL'];
  if (filter.id !== undefined) where.push(`k.id = ${a.arg(filter.id)}`);
  if (filter.grid) where.push(`k.grid_code = ${a.arg(filter.grid)}`);
  if (filter.category) where.push(`k.category = ${a.arg(filter.category)}`);
  const { rows } = await q.query<StoredKeyPerson>(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY k.grid_code, k.id LIMIT 5000`, a.args);
  return rows;
}

/**
 * A read of the register as one session may see it: scoped, masked, and on record. Every answer
 * writes one audit row with the ids it returned and which of them were shown in clear (issue 12);
 * the row is written before the answer leaves, so there is no read without its record.
 */
export async function readKeyPersons(db: Db, s: Session, filter: KeyPersonQuery & { id?: number }, ip: string): Promise<KeyPerson[]> {
  const stored = await listKeyPersons(db, await reachOfSession(db, s), filter);
  const shown = stored.map(await maskerOf(db, s));
  await audit(db, s, {
    action: 'key_person.read',
    target: filter.id !== undefined ? `key_person:${filter.id}` : undefined,
    detail: { filter, ids: shown.map((p) => p.id), clear: shown.filter((p) => !p.masked).map((p) => p.id), masked: shown.some((p) => p.masked) },
    ip,
  });
  return shown;
}

/** The active key person `id` the viewer may see, locked for a change; null (a 404 to the caller) otherwise. */
export async function keyPersonForChange(tx: Tx, reach: Reach, id: number): Promise<{ gridCode: string; category: string } | null> {
  const a = args([id]);
  const { rows } = await tx.query<{ gridCode: string; category: string }>(
    `SELECT k.grid_code AS "gridCode", k.category FROM ${FROM}
      WHERE k.id = $1 AND k.removed_at IS NULL AND ${stationScopeSql(reach, 'sv.station_id', a.arg)} FOR UPDATE OF k`,
    a.args,
  );
  return rows[0] ?? null;
}

/**
 * ID numbers already on the register (active) of the stations the caller may see, other than
 * `except`'s own. Only within the caller's reach: answering for the whole district would tell a
 * gridder who is on another station's register (a sheet of ID numbers, refused row by row).
 */
export async function idNumbersTaken(q: Db | Tx, reach: Reach, idNumbers: readonly string[], except: number | null = null): Promise<Set<string>> {
  if (idNumbers.length === 0) return new Set();
  const a = args([idNumbers, except]);
  const { rows } = await q.query<{ n: string }>(
    `SELECT k.id_number AS n FROM ${FROM}
      WHERE k.removed_at IS NULL AND k.id_number = ANY($1::text[]) AND k.id <> coalesce($2::int, 0) AND ${stationScopeSql(reach, 'sv.station_id', a.arg)}`,
    a.args,
  );
  return new Set(rows.map((r) => r.n));
}

export const defaultVisits = (p: Pick<KeyPersonInput, 'category' | 'visitsPerMonth'>) => p.visitsPerMonth ?? KEY_PERSON_CATEGORIES[p.category].visitsPerMonth;

/** Inserts people already checked, with their grids; answers their ids in order. */
export async function insertKeyPersons(tx: Tx, people: readonly (KeyPersonInput & { gridCode: string })[]): Promise<number[]> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO key_persons (name, id_number, phone, category, visits_per_month, address, location, grid_code, note)
     SELECT p->>'name', p->>'idNumber', p->>'phone', p->>'category', (p->>'visitsPerMonth')::int, p->>'address',
            ST_SetSRID(ST_MakePoint((p->>'lon')::float8, (p->>'lat')::float8), 4326), p->>'gridCode', p->>'note'
       FROM json_array_elements($1::json) WITH ORDINALITY AS t(p, n) ORDER BY n
     RETURNING id`,
    [JSON.stringify(people.map((p) => ({ ...p, idNumber: p.idNumber ?? null, phone: p.phone ?? null, note: p.note ?? null, visitsPerMonth: defaultVisits(p) })))],
  );
  return rows.map((r) => r.id);
}

/** Applies an edit; `grid` is the new grid when the person moved. */
export async function updateKeyPerson(tx: Tx, id: number, p: KeyPersonPatch, grid: string | null): Promise<void> {
  const a = args([id]);
  const set = ['updated_at = now()'];
  const column: Record<string, string> = { name: 'name', idNumber: 'id_number', phone: 'phone', category: 'category', visitsPerMonth: 'visits_per_month', address: 'address', note: 'note' };
  for (const [field, col] of Object.entries(column)) {
    const v = p[field as keyof KeyPersonPatch];
    if (v !== undefined) set.push(`${col} = ${a.arg(v === '' ? null : v)}`);
  }
  if (p.lon !== undefined && p.lat !== undefined && grid)
    set.push(`location = ST_SetSRID(ST_MakePoint(${a.arg(p.lon)}, ${a.arg(p.lat)}), 4326)`, `grid_code = ${a.arg(grid)}`);
  await tx.query(`UPDATE key_persons SET ${set.join(', ')} WHERE id = $1`, a.args);
}

/** Takes a person off the register (moved away, no longer at risk); the visits made stay. */
export async function removeKeyPerson(tx: Tx, id: number): Promise<void> {
  await tx.query(`UPDATE key_persons SET removed_at = now(), updated_at = now() WHERE id = $1`, [id]);
}
