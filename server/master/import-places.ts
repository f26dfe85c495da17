import { PLACE_CATEGORY_LABEL, PlaceInput, RISK_LEVEL_LABEL, type PlaceCategory, type RiskLevel } from '@/lib/contracts/place';
import { maySeeStation, reachOf } from '@/lib/access/scope';
import type { Session } from '../auth/session';
import type { Tx } from '../db/pool';
import { insertPlaces, locateMany } from '../repo/places';
import type { RowIssue } from './import-people';
import { columnLetter, type SheetRow } from './sheet';

/** The key places sheet (issue 12): the point as WGS-84 longitude and latitude; the grid, if given, must be the point's. */
export const PLACE_COLUMNS = ['名称', '类别', '风险等级', '地址', '经度', '纬度', '网格'] as const;
type Column = (typeof PLACE_COLUMNS)[number];
const COLUMN_OF: Record<string, Column> = { name: '名称', category: '类别', riskLevel: '风险等级', address: '地址', lon: '经度', lat: '纬度' };

const byText = <K extends string>(labels: Record<K, string>) => new Map<string, K>(Object.entries<string>(labels).flatMap(([k, v]) => [[k, k as K], [v, k as K]]));
const CATEGORY_BY_TEXT = byText(PLACE_CATEGORY_LABEL);
const RISK_BY_TEXT = byText(RISK_LEVEL_LABEL);

/** A number cell: blank stays undefined so the contract names it as missing; anything else not a number is refused as typed. */
export const numberCell = (text: string): number | string | undefined => (text === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

export interface Located<T> {
  row: number;
  value: T & { lon: number; lat: number };
  /** The 网格 cell: empty, or the code the point must fall in. */
  grid: string;
}

/**
 * Places each row's point in its grid, all in one statement, and refuses rows outside the
 * district, outside the importer's station, or whose 网格 cell names another grid than the point's.
 */
export async function locateRows<T>(
  tx: Tx,
  who: Session,
  rows: readonly Located<T>[],
  issue: (row: number, column: '经度' | '网格', message: string) => void,
): Promise<(T & { lon: number; lat: number; gridCode: string })[]> {
  const reach = reachOf({ role: who.role, stationId: who.stationId, department: null });
  const where = await locateMany(tx, rows.map((r) => r.value));
  const out: (T & { lon: number; lat: number; gridCode: string })[] = [];
  rows.forEach((r, i) => {
    const at = where[i];
    if (!at) issue(r.row, '经度', '位置不在本区任何网格内（经纬度须为 WGS-84）');
    else if (!maySeeStation(reach, at.stationId)) issue(r.row, '经度', '位置不在本站范围内');
    else if (r.grid && r.grid !== at.grid) issue(r.row, '网格', `网格 ${r.grid} 与经纬度所在网格 ${at.grid} 不符`);
    else out.push({ ...r.value, gridCode: at.grid });
  });
  return out;
}

/** Key places from a sheet, all or nothing (issue 12): every refusal names its row and column. */
export async function importPlaces(tx: Tx, who: Session, header: string[], rows: readonly SheetRow[]): Promise<{ ids: number[] } | { issues: RowIssue<Column>[] }> {
  const issues: RowIssue<Column>[] = [];
  const issue = (row: number, column: Column, message: string) => issues.push({ row, column, letter: columnLetter(header, column), message });
  const parsed: Located<PlaceInput>[] = [];
  for (const { row, cells } of rows) {
    const c = cells as Record<Column, string>;
    const before = issues.length;
    const category: PlaceCategory | undefined = CATEGORY_BY_TEXT.get(c.类别);
    if (!category) issue(row, '类别', `类别 ${c.类别 || '（空）'} 不存在（如 ${Object.values(PLACE_CATEGORY_LABEL).slice(0, 4).join('、')}）`);
    const riskLevel: RiskLevel | undefined = RISK_BY_TEXT.get(c.风险等级);
    if (!riskLevel) issue(row, '风险等级', `风险等级 ${c.风险等级 || '（空）'} 不存在（填 ${Object.values(RISK_LEVEL_LABEL).join('、')}）`);
    if (issues.length > before) continue;
    const p = PlaceInput.safeParse({ name: c.名称, category, riskLevel, address: c.地址 || undefined, lon: numberCell(c.经度), lat: numberCell(c.纬度) });
    if (!p.success) {
      for (const i of p.error.issues) issue(row, COLUMN_OF[String(i.path[0])] ?? '名称', i.message);
      continue;
    }
    parsed.push({ row, value: p.data as PlaceInput & { lon: number; lat: number }, grid: c.网格 });
  }
  const places = await locateRows(tx, who, parsed, issue);
  if (issues.length) return { issues: issues.sort((a, b) => a.row - b.row) };
  return { ids: await insertPlaces(tx, places) };
}
