import { daysOf } from '@/lib/analytics/period';
import type { DayRange, KpiTrendV1 } from '@/lib/contracts/kpi';
import type { Db } from '../db/pool';
import { args } from '../db/scope';
import { rollupInArea, type Area } from './areas';
import { cohortSql } from './figures';
import { CLOSED, MISSED } from './predicates';

interface DayRow {
  day: string;
  category: string;
  reported: number;
  closed: number;
  overdue: number;
}

/**
 * Daily lines over the last days (issue 13: 30/90 days, categories stacked), by the day of report
 * like every figure: `closed` of a day is how many of that day's reports are closed by now. From
 * kpi_day; a grid (not keyed there) from its events.
 */
export async function trend(db: Db, area: Area, range: DayRange): Promise<Pick<KpiTrendV1, 'days' | 'categories'>> {
  const q = args([range.from, range.to]);
  const where = rollupInArea(area, q.arg);
  // A grid scans its events, with arguments of its own (every placeholder made must be used).
  const s = args();
  const sql =
    where !== null
      ? `SELECT to_char(k.day, 'YYYY-MM-DD') AS day, k.category, sum(k.reported)::int AS reported, sum(k.closed)::int AS closed, sum(k.missed)::int AS overdue
           FROM kpi_day k WHERE k.day BETWEEN $1::date AND $2::date AND ${where} GROUP BY 1, 2`
      : `SELECT to_char((e.reported_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day, e.category, count(*)::int AS reported,
                count(*) FILTER (WHERE ${CLOSED})::int AS closed, count(*) FILTER (WHERE ${MISSED})::int AS overdue
           FROM events e WHERE ${cohortSql(area, range, s.arg)} GROUP BY 1, 2`;
  const { rows } = await db.query<DayRow>(sql, where !== null ? q.args : s.args);
  const byDay = new Map(daysOf(range).map((day) => [day, { day, reported: 0, closed: 0, overdue: 0, byCategory: {} as Record<string, number> }]));
  const totals = new Map<string, number>();
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) continue;
    d.reported += r.reported;
    d.closed += r.closed;
    d.overdue += r.overdue;
    if (r.reported) d.byCategory[r.category] = (d.byCategory[r.category] ?? 0) + r.reported;
    totals.set(r.category, (totals.get(r.category) ?? 0) + r.reported);
  }
  const codes = [...totals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  const { rows: labels } = await db.query<{ code: string; label: string }>(`SELECT code, label FROM categories WHERE code = ANY($1::text[])`, [codes]);
  const label = new Map(labels.map((l) => [l.code, l.label]));
  return { days: [...byDay.values()], categories: codes.map((code) => ({ code, label: label.get(code) ?? code })) };
}
