import type { PersonInput } from '@/lib/contracts/master';
import type { Reach } from '@/lib/access/scope';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql } from '../db/scope';

export interface RefIssue {
  /** Index of the person in the list (the importer turns it into a row number). */
  index: number;
  field: 'stationId' | 'department' | 'roles';
  message: string;
}

/**
 * Checks every reference of a list of people in three queries, whatever its length: stations
 * exist, departments exist, grids exist and lie in the person's station. The same check serves
 * one person from the form and 2,000 from a spreadsheet.
 */
export async function checkPeople(q: Db | Tx, people: readonly PersonInput[]): Promise<RefIssue[]> {
  const stations = new Set(
    (await q.query<{ id: number }>(`SELECT id FROM stations WHERE id = ANY($1::int[])`, [[...new Set(people.flatMap((p) => (p.stationId ? [p.stationId] : [])))]])).rows.map((r) => r.id),
  );
  const departments = new Set((await q.query<{ code: string }>(`SELECT code FROM departments`)).rows.map((r) => r.code));
  const gridCodes = [...new Set(people.flatMap((p) => p.roles.flatMap((r) => (r.gridCode ? [r.gridCode] : []))))];
  // A grid belongs to its village's station; a village (a village cadre's, S12) to its own station.
  const areas = new Map(
    (
      await q.query<{ code: string; level: string; stationId: number | null }>(
        `SELECT g.code, g.level, sv.station_id AS "stationId" FROM regions g
           LEFT JOIN station_villages sv ON sv.village_code = CASE g.level WHEN 'grid' THEN g.parent_code ELSE g.code END
          WHERE g.level IN ('grid', 'village') AND g.code = ANY($1::text[])`,
        [gridCodes],
      )
    ).rows.map((r) => [r.code, r]),
  );
  const issues: RefIssue[] = [];
  people.forEach((p, index) => {
    if (p.stationId !== null && !stations.has(p.stationId)) issues.push({ index, field: 'stationId', message: `工作站 ${p.stationId} 不存在` });
    if (p.department && !departments.has(p.department)) issues.push({ index, field: 'department', message: `部门 ${p.department} 不存在` });
    for (const r of p.roles) {
      if (!r.gridCode) continue;
      const level = r.role === 'village_cadre' ? 'village' : 'grid';
      const what = level === 'village' ? '村（社区）' : '网格';
      const area = areas.get(r.gridCode);
      if (!area || area.level !== level) issues.push({ index, field: 'roles', message: `${what} ${r.gridCode} 不存在` });
      else if (area.stationId !== p.stationId) issues.push({ index, field: 'roles', message: `${what} ${r.gridCode} 不在所属工作站内` });
    }
    if (p.stationId === null && p.roles.length > 0)
      issues.push({ index, field: 'stationId', message: '站内角色须指定所属工作站（区级人员请在账号上授予区级角色）' });
  });
  return issues;
}

/** Inserts checked people and their roles in one statement each; returns their ids in order. */
export async function insertPeople(tx: Tx, people: readonly PersonInput[]): Promise<number[]> {
  if (!people.length) return [];
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO people (name, phone, station_id, department_id)
     SELECT p->>'name', p->>'phone', (p->>'stationId')::int, d.id
       FROM json_array_elements($1::json) WITH ORDINALITY AS x(p, n)
       LEFT JOIN departments d ON d.code = p->>'department'
      ORDER BY n
     RETURNING id`,
    [JSON.stringify(people.map((p) => ({ name: p.name, phone: p.phone ?? null, stationId: p.stationId, department: p.department ?? null })))],
  );
  const ids = rows.map((r) => r.id);
  const roles = people.flatMap((p, i) => p.roles.map((r) => ({ personId: ids[i], role: r.role, stationId: p.stationId, gridCode: r.gridCode ?? null, department: p.department ?? null })));
  await tx.query(
    `INSERT INTO person_roles (person_id, role, station_id, grid_code, department_id)
     SELECT (r->>'personId')::int, r->>'role', (r->>'stationId')::int, r->>'gridCode', d.id
       FROM json_array_elements($1::json) AS r LEFT JOIN departments d ON d.code = r->>'department'`,
    [JSON.stringify(roles)],
  );
  return ids;
}

/** Replaces one person's fields and roles. */
export async function updatePerson(tx: Tx, id: number, p: PersonInput): Promise<void> {
  await tx.query(
    `UPDATE people SET name = $2, phone = $3, station_id = $4, department_id = (SELECT id FROM departments WHERE code = $5), updated_at = now() WHERE id = $1`,
    [id, p.name, p.phone ?? null, p.stationId, p.department ?? null],
  );
  await tx.query(`DELETE FROM person_roles WHERE person_id = $1`, [id]);
  await tx.query(
    `INSERT INTO person_roles (person_id, role, station_id, grid_code, department_id)
     SELECT $1, r->>'role', $2, r->>'gridCode', (SELECT id FROM departments WHERE code = $3)
       FROM json_array_elements($4::json) AS r`,
    [id, p.stationId, p.department ?? null, JSON.stringify(p.roles)],
  );
}

export interface PersonRow {
  id: number;
  name: string;
  phone: string | null;
  stationId: number | null;
  department: string | null;
  roles: { role: string; gridCode: string | null }[];
  accounts: { id: number; username: string; role: string; disabled: boolean }[];
}

/**
 * People of the stations the viewer may see, with their phones: only the administrator and a
 * station's leaders list people (they call them), and the route audits each read (issue 10).
 */
export async function listPeople(db: Db, reach: Reach, stationId: number | null): Promise<PersonRow[]> {
  const q = args();
  const where = [stationScopeSql(reach, 'p.station_id', q.arg)];
  if (stationId !== null) where.push(`p.station_id = ${q.arg(stationId)}`);
  const { rows } = await db.query<PersonRow>(
    `SELECT p.id, p.name, p.phone, p.station_id AS "stationId", d.code AS department,
            coalesce((SELECT json_agg(json_build_object('role', r.role, 'gridCode', r.grid_code) ORDER BY r.id) FROM person_roles r WHERE r.person_id = p.id), '[]') AS roles,
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'username', a.username, 'role', a.role, 'disabled', a.disabled) ORDER BY a.id)
                        FROM accounts a WHERE a.person_id = p.id), '[]') AS accounts
       FROM people p LEFT JOIN departments d ON d.id = p.department_id
      WHERE ${where.join(' AND ')}
      ORDER BY p.station_id NULLS FIRST, p.id LIMIT 5000`,
    q.args,
  );
  return rows;
}
