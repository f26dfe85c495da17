import { KPIS } from '../analytics/kpis';
import { EVENT_STATE_LABEL, type EventState } from '../events/machine';
import type { ReportFigureV1, ReportKpiCode } from '../contracts/reports';

/**
 * How the report writes its figures, shared by the xlsx (server/reports/xlsx.ts) and the printable
 * page, so the two never disagree on a name, a unit or a rounding: ratios as percentages to one
 * decimal, hours to one decimal, scores to two.
 */

export const kpiName = (code: ReportKpiCode): string => KPIS[code].name;

/** The Excel number format of a KPI's value. */
export function kpiNumFmt(code: ReportKpiCode): string {
  switch (KPIS[code].unit) {
    case 'ratio':
      return '0.0%';
    case 'hours':
    case 'days':
      return '0.0';
    default:
      return '0';
  }
}

const UNIT_SUFFIX: Record<string, string> = { hours: ' 小时', days: ' 天', count: '' };

/** A KPI's value as text (print): '—' for no data. */
export function kpiText(code: ReportKpiCode, f: ReportFigureV1): string {
  if (f.value === null) return '—';
  const unit = KPIS[code].unit;
  if (unit === 'ratio') return percent(f.value);
  if (unit === 'hours' || unit === 'days') return `${f.value.toFixed(1)}${UNIT_SUFFIX[unit]}`;
  return String(f.value);
}

export const percent = (x: number | null): string => (x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
export const score2 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));
export const stateLabel = (s: string): string => EVENT_STATE_LABEL[s as EventState] ?? s;

/** Shanghai wall-clock time of an instant: 2026-11-03 14:05. */
export function shanghaiTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
