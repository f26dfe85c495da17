import { StationInput } from '@/lib/contracts/master';
import type { Session } from '../auth/session';
import type { Tx } from '../db/pool';
import { columnLetter, type SheetRow } from './sheet';
import type { RowIssue } from './import-people';

/** The stations sheet (S5): one row a station, its villages by code separated by 、 or ; . */
export const STATION_COLUMNS = ['编码', '名称', '镇街代码', '经度', '纬度', '覆盖村社'] as const;
type Column = (typeof STATION_COLUMNS)[number];
const COLUMN_OF: Record<string, Column> = { code: '编码', name: '名称', townCode: '镇街代码', lon: '经度', lat: '纬度', villageCodes: '覆盖村社' };

/**
 * Stations from a sheet, all or nothing: each village must exist, lie in the row's town and be
 * covered by no other station (already, or by another row of the same file); codes are unique.
 */
export async function importStations(tx: Tx, _who: Session, header: string[], rows: readonly SheetRow[]): Promise<{ ids: number[] } | { issues: RowIssue<Column>[] }> {
  const issues: RowIssue<Column>[] = [];
  const issue = (row: number, column: Column, message: string) => issues.push({ row, column, letter: columnLetter(header, column), message });
  const villages = new Map(
    (await tx.query<{ code: string; town: string; owner: string | null }>(
      `SELECT v.code, v.parent_code AS town, s.code AS owner FROM regions v
         LEFT JOIN station_villages sv ON sv.village_code = v.code LEFT JOIN stations s ON s.id = sv.station_id
        WHERE v.level = 'village'`,
    )).rows.map((v) => [v.code, v]),
  );
  const towns = new Set((await tx.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'town'`)).rows.map((t) => t.code));
  const codes = new Set((await tx.query<{ code: string }>(`SELECT code FROM stations`)).rows.map((s) => s.code));
  const claimed = new Map<string, number>();
  const stations: StationInput[] = [];
  for (const { row, cells } of rows) {
    const c = cells as Record<Column, string>;
    const parsed = StationInput.safeParse({
      code: c.编码, name: c.名称, townCode: c.镇街代码, lon: Number(c.经度), lat: Number(c.纬度),
      villageCodes: c.覆盖村社.split(/[、,，;；\s]+/).filter(Boolean),
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) issue(row, COLUMN_OF[String(i.path[0])] ?? '编码', i.message);
      continue;
    }
    const s = parsed.data;
    if (codes.has(s.code)) issue(row, '编码', `编码 ${s.code} 已存在`);
    codes.add(s.code);
    if (!towns.has(s.townCode)) issue(row, '镇街代码', `镇（街道）${s.townCode} 不存在`);
    for (const v of s.villageCodes) {
      const known = villages.get(v);
      if (!known) issue(row, '覆盖村社', `村（社区）${v} 不存在`);
      else if (known.town !== s.townCode) issue(row, '覆盖村社', `村（社区）${v} 不属于镇（街道）${s.townCode}`);
      else if (known.owner) issue(row, '覆盖村社', `村（社区）${v} 已由工作站 ${known.owner} 覆盖`);
      else if (claimed.has(v)) issue(row, '覆盖村社', `村（社区）${v} 在第 ${claimed.get(v)} 行已被覆盖`);
      else claimed.set(v, row);
    }
    stations.push(s);
  }
  if (issues.length) return { issues: issues.sort((a, b) => a.row - b.row) };
  const { rows: made } = await tx.query<{ id: number }>(
    `INSERT INTO stations (code, name, town_code, location)
     SELECT s->>'code', s->>'name', s->>'townCode', ST_SetSRID(ST_MakePoint((s->>'lon')::float8, (s->>'lat')::float8), 4326)
       FROM json_array_elements($1::json) WITH ORDINALITY AS x(s, n) ORDER BY n
     RETURNING id`,
    [JSON.stringify(stations)],
  );
  const ids = made.map((r) => r.id);
  await tx.query(
    `INSERT INTO station_villages (station_id, village_code) SELECT (x->>'id')::int, x->>'village' FROM json_array_elements($1::json) AS x`,
    [JSON.stringify(stations.flatMap((s, i) => s.villageCodes.map((village) => ({ id: ids[i], village }))))],
  );
  return { ids };
}
