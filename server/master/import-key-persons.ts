import { KEY_PERSON_CATEGORIES, KeyPersonInput, type KeyPersonCategory } from '@/lib/contracts/keyPerson';
import type { Session } from '../auth/session';
import { reachOfSession } from '../events/viewer';
import type { Tx } from '../db/pool';
import { idNumbersTaken, insertKeyPersons } from '../repo/keyPersons';
import type { RowIssue } from './import-people';
import { locateRows, numberCell, type Located } from './import-places';
import { columnLetter, type SheetRow } from './sheet';

/** The key persons sheet (issue 12): the home as WGS-84 longitude and latitude; the grid, if given, must be the point's. */
export const KEY_PERSON_COLUMNS = ['姓名', '身份证号', '电话', '类别', '每月走访次数', '地址', '经度', '纬度', '网格', '备注'] as const;
type Column = (typeof KEY_PERSON_COLUMNS)[number];
const COLUMN_OF: Record<string, Column> = {
  name: '姓名', idNumber: '身份证号', phone: '电话', category: '类别', visitsPerMonth: '每月走访次数', address: '地址', lon: '经度', lat: '纬度', note: '备注',
};
const CATEGORY_BY_TEXT = new Map<string, KeyPersonCategory>(
  Object.entries(KEY_PERSON_CATEGORIES).flatMap(([k, c]) => [[k, k as KeyPersonCategory], [c.label, k as KeyPersonCategory]]),
);

/**
 * Key persons from a sheet, all or nothing (issue 12): every refusal names its row and column, and
 * nothing is written unless there is none. A refusal quotes no cell of personal data back: the
 * message may be read over the importer's shoulder, and the importer typed it anyway.
 */
export async function importKeyPersons(tx: Tx, who: Session, header: string[], rows: readonly SheetRow[]): Promise<{ ids: number[] } | { issues: RowIssue<Column>[] }> {
  const issues: RowIssue<Column>[] = [];
  const issue = (row: number, column: Column, message: string) => issues.push({ row, column, letter: columnLetter(header, column), message });
  const parsed: Located<KeyPersonInput>[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const c = cells as Record<Column, string>;
    const category = CATEGORY_BY_TEXT.get(c.类别);
    if (!category) {
      issue(row, '类别', `类别 ${c.类别 || '（空）'} 不存在（填 ${Object.values(KEY_PERSON_CATEGORIES).map((k) => k.label).join('、')}）`);
      continue;
    }
    const p = KeyPersonInput.safeParse({
      name: c.姓名, idNumber: c.身份证号 || null, phone: c.电话 || null, category, visitsPerMonth: numberCell(c.每月走访次数),
      address: c.地址, lon: numberCell(c.经度), lat: numberCell(c.纬度), note: c.备注 || null,
    });
    if (!p.success) {
      for (const i of p.error.issues) issue(row, COLUMN_OF[String(i.path[0])] ?? '姓名', i.message);
      continue;
    }
    const id = p.data.idNumber;
    if (id && firstRowOf.has(id)) {
      issue(row, '身份证号', `与第 ${firstRowOf.get(id)} 行的身份证号相同`);
      continue;
    }
    if (id) firstRowOf.set(id, row);
    parsed.push({ row, value: p.data, grid: c.网格 });
  }
  const taken = await idNumbersTaken(tx, await reachOfSession(tx, who), [...firstRowOf.keys()]);
  for (const [id, row] of firstRowOf) if (taken.has(id)) issue(row, '身份证号', '该身份证号已登记为重点人员');
  const people = await locateRows(tx, who, parsed, issue);
  if (issues.length) return { issues: issues.sort((a, b) => a.row - b.row) };
  return { ids: await insertKeyPersons(tx, people) };
}
