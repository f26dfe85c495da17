import { MOBILITY_LABEL, UnitInput } from '@/lib/contracts/master';
import { DEPARTMENTS } from '@/lib/departments';
import { UNIT_KIND_LABEL, UNIT_KINDS, type UnitKind } from '@/lib/units';
import type { Session } from '../auth/session';
import type { Tx } from '../db/pool';
import type { RowIssue } from './import-people';
import { columnLetter, type SheetRow } from './sheet';

/** The units sheet: a person's unit names the person by phone; a team names its department instead. */
export const UNIT_COLUMNS = ['编码', '名称', '类型', '巡逻方式', '工作站', '人员电话', '部门', '网格'] as const;
type Column = (typeof UNIT_COLUMNS)[number];
const COLUMN_OF: Record<string, Column> = { code: '编码', name: '名称', kind: '类型', mobility: '巡逻方式', stationId: '工作站', personId: '人员电话', department: '部门', gridCode: '网格' };

const KIND_BY_TEXT = new Map<string, UnitKind>(UNIT_KINDS.flatMap((k) => [[k, k], [UNIT_KIND_LABEL[k], k]] as [string, UnitKind][]));
const MOBILITY_BY_TEXT = new Map<string, string>(Object.entries(MOBILITY_LABEL).flatMap(([k, label]) => [[k, k], [label, k]]));
const DEPARTMENT_BY_TEXT = new Map<string, string>(DEPARTMENTS.flatMap((d) => [[d.code, d.code], [d.name, d.code]] as [string, string][]));

/** Units from a sheet, all or nothing; station leaders import their own station's only. */
export async function importUnits(tx: Tx, who: Session, header: string[], rows: readonly SheetRow[]): Promise<{ ids: number[] } | { issues: RowIssue<Column>[] }> {
  const issues: RowIssue<Column>[] = [];
  const issue = (row: number, column: Column, message: string) => issues.push({ row, column, letter: columnLetter(header, column), message });
  const stations = new Map((await tx.query<{ code: string; id: number }>(`SELECT code, id FROM stations`)).rows.map((s) => [s.code, s.id]));
  const codes = new Set((await tx.query<{ code: string }>(`SELECT code FROM units`)).rows.map((u) => u.code));
  // People by station and phone: the operator knows a phone number, not a database id.
  const people = new Map<string, number[]>();
  for (const p of (await tx.query<{ id: number; stationId: number; phone: string }>(`SELECT id, station_id AS "stationId", phone FROM people WHERE phone IS NOT NULL AND station_id IS NOT NULL`)).rows) {
    const key = `${p.stationId} ${p.phone}`;
    people.set(key, [...(people.get(key) ?? []), p.id]);
  }
  const grids = new Map((await tx.query<{ code: string; stationId: number | null }>(
    `SELECT g.code, sv.station_id AS "stationId" FROM regions g LEFT JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid'`,
  )).rows.map((g) => [g.code, g.stationId]));

  // One unit per person (a phone reports as its person's unit): one already placed, or named twice, is refused.
  const withUnit = new Set((await tx.query<{ id: number }>(`SELECT person_id AS id FROM units WHERE person_id IS NOT NULL`)).rows.map((r) => r.id));
  const claimed = new Map<number, number>();
  const units: UnitInput[] = [];
  for (const { row, cells } of rows) {
    const c = cells as Record<Column, string>;
    const before = issues.length;
    const stationId = stations.get(c.工作站);
    if (stationId === undefined) issue(row, '工作站', `工作站编码 ${c.工作站} 不存在`);
    else if (who.role !== 'admin' && stationId !== who.stationId) issue(row, '工作站', '只能导入本站单位');
    const kind = KIND_BY_TEXT.get(c.类型);
    if (!kind) issue(row, '类型', `类型 ${c.类型} 不存在（如 网格员、公安、综合执法）`);
    const mobility = MOBILITY_BY_TEXT.get(c.巡逻方式);
    if (!mobility) issue(row, '巡逻方式', '巡逻方式须为 步巡 或 车巡');
    const department = c.部门 ? DEPARTMENT_BY_TEXT.get(c.部门) : null;
    if (department === undefined) issue(row, '部门', `部门 ${c.部门} 不存在`);
    let personId: number | null = null;
    if (c.人员电话 && stationId !== undefined) {
      const found = people.get(`${stationId} ${c.人员电话}`) ?? [];
      if (found.length !== 1) issue(row, '人员电话', found.length ? `本站有 ${found.length} 人使用电话 ${c.人员电话}` : `本站没有电话为 ${c.人员电话} 的人员`);
      else if (withUnit.has(found[0])) issue(row, '人员电话', `电话 ${c.人员电话} 的人员已有单位`);
      else if (claimed.has(found[0])) issue(row, '人员电话', `电话 ${c.人员电话} 的人员在第 ${claimed.get(found[0])} 行已有单位`);
      else {
        personId = found[0];
        claimed.set(personId, row);
      }
    }
    if (c.网格 && (!grids.has(c.网格) || grids.get(c.网格) !== stationId)) issue(row, '网格', `网格 ${c.网格} 不在该工作站内`);
    if (codes.has(c.编码)) issue(row, '编码', `编码 ${c.编码} 已存在`);
    codes.add(c.编码);
    if (issues.length > before) continue;
    const parsed = UnitInput.safeParse({ code: c.编码, name: c.名称, kind, mobility, stationId, personId, department: personId ? null : department, gridCode: c.网格 || null });
    if (!parsed.success) {
      for (const i of parsed.error.issues) issue(row, COLUMN_OF[String(i.path[0])] ?? '编码', i.message);
      continue;
    }
    units.push(parsed.data);
  }
  if (issues.length) return { issues: issues.sort((a, b) => a.row - b.row) };
  const { rows: made } = await tx.query<{ id: number }>(
    `INSERT INTO units (code, name, kind, mobility, is_team, department_id, station_id, person_id, grid_code, last_position)
     SELECT u->>'code', u->>'name', u->>'kind', u->>'mobility', (u->>'personId') IS NULL,
            coalesce(d.id, p.department_id), (u->>'stationId')::int, (u->>'personId')::int, u->>'gridCode',
            coalesce((SELECT ST_PointOnSurface(g.geom) FROM regions g WHERE g.code = u->>'gridCode'), s.location)
       FROM json_array_elements($1::json) WITH ORDINALITY AS x(u, n)
       JOIN stations s ON s.id = (u->>'stationId')::int
       LEFT JOIN departments d ON d.code = u->>'department'
       LEFT JOIN people p ON p.id = (u->>'personId')::int
      ORDER BY n
     RETURNING id`,
    [JSON.stringify(units)],
  );
  return { ids: made.map((r) => r.id) };
}
