import { PersonInput } from '@/lib/contracts/master';
import { DEPARTMENTS } from '@/lib/departments';
import { PERSON_ROLES, ROLE_LABEL, type Role } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { Tx } from '../db/pool';
import { checkPeople, insertPeople } from './people';
import { columnLetter, type SheetRow } from './sheet';

/** The people sheet's columns, in the operator's words (the template's header row). */
export const PEOPLE_COLUMNS = ['姓名', '电话', '工作站', '部门', '角色', '网格'] as const;
type Column = (typeof PEOPLE_COLUMNS)[number];

export interface RowIssue<C extends string = Column> {
  row: number;
  column: C;
  letter: string;
  message: string;
}

/** Roles placed in an area: grid staff in their grid, village cadres in their village (the 网格 column holds its code). */
const GRID_ROLES: readonly Role[] = ['grid_leader', 'grid_instructor', 'gridder_full', 'gridder_part', 'grid_info', 'grid_police', 'village_cadre'];
const ROLE_BY_TEXT = new Map<string, Role>(PERSON_ROLES.flatMap((r) => [[r, r], [ROLE_LABEL[r], r]] as [string, Role][]));
const DEPARTMENT_BY_TEXT = new Map<string, string>(DEPARTMENTS.flatMap((d) => [[d.code, d.code], [d.name, d.code]] as [string, string][]));
/** Where a field of PersonInput is written in the sheet. */
const COLUMN_OF: Record<string, Column> = { name: '姓名', phone: '电话', stationId: '工作站', department: '部门', roles: '角色' };

/**
 * Turns a sheet of people into checked PersonInputs, all or nothing (issue 10): every refusal is
 * reported with its row and column, and nothing is written unless there is none. Station leaders
 * import their own station's people only.
 */
export async function importPeople(tx: Tx, who: Session, header: string[], rows: readonly SheetRow[]): Promise<{ ids: number[] } | { issues: RowIssue[] }> {
  const issues: RowIssue[] = [];
  const issue = (row: number, column: Column, message: string) => issues.push({ row, column, letter: columnLetter(header, column), message });
  const stations = new Map((await tx.query<{ code: string; id: number }>(`SELECT code, id FROM stations`)).rows.map((s) => [s.code, s.id]));

  // The 网格 cell holds a grid for grid staff or a village for a village cadre: each role takes a code of its own level.
  const codes = [...new Set(rows.map((r) => r.cells['网格']).filter(Boolean))];
  const levelOf = new Map((await tx.query<{ code: string; level: string }>(`SELECT code, level FROM regions WHERE code = ANY($1::text[])`, [codes])).rows.map((r) => [r.code, r.level]));
  const areaFor = (role: Role, code: string): string | null => {
    if (!code || !GRID_ROLES.includes(role)) return null;
    const wanted = role === 'village_cadre' ? 'village' : 'grid';
    const level = levelOf.get(code);
    return level === undefined || level === wanted ? code : null;
  };
  const people: PersonInput[] = [];
  const rowOf: number[] = [];
  for (const { row, cells } of rows) {
    const c = cells as Record<Column, string>;
    const before = issues.length;
    const stationId = c.工作站 ? stations.get(c.工作站) : null;
    if (stationId === undefined) issue(row, '工作站', `工作站编码 ${c.工作站} 不存在`);
    else if (who.role !== 'admin' && stationId !== who.stationId) issue(row, '工作站', '只能导入本站人员');
    const department = c.部门 ? DEPARTMENT_BY_TEXT.get(c.部门) : null;
    if (department === undefined) issue(row, '部门', `部门 ${c.部门} 不存在（填部门名称或编码）`);
    const roles: PersonInput['roles'] = [];
    for (const text of c.角色.split(/[、,，;；\s]+/).filter(Boolean)) {
      const role = ROLE_BY_TEXT.get(text);
      if (!role) issue(row, '角色', `角色 ${text} 不存在（如 专职网格员、部门人员、调解员）`);
      else roles.push({ role, gridCode: areaFor(role, c.网格) });
    }
    if (c.网格 && !roles.some((r) => r.gridCode)) issue(row, '网格', '填了网格，但没有网格员类角色');
    if (issues.length > before) continue;
    const parsed = PersonInput.safeParse({ name: c.姓名, phone: c.电话 || null, stationId, department, roles });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const column = i.path[0] === 'roles' && i.path[2] === 'gridCode' ? '网格' : (COLUMN_OF[String(i.path[0])] ?? '姓名');
        issue(row, column, i.message);
      }
      continue;
    }
    people.push(parsed.data);
    rowOf.push(row);
  }
  for (const i of await checkPeople(tx, people)) {
    const column: Column = i.field === 'roles' ? '网格' : COLUMN_OF[i.field];
    issue(rowOf[i.index], column, i.message);
  }
  if (issues.length) return { issues: issues.sort((a, b) => a.row - b.row) };
  return { ids: await insertPeople(tx, people) };
}
