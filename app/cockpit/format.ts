import type { KpiDefinition, KpiUnit } from '@/lib/analytics/kpis';

/** How a figure reads: a count of events, a share (0–1, shown as %), or a time in hours. */
export type FigureUnit = KpiUnit;
/** Which way is good: more (办结率) or less (超期, 用时). */
export type Better = KpiDefinition['better'];

export const NO_VALUE = '—';

export function formatValue(value: number | null, unit: FigureUnit): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'ratio':
      // Rounded on the per-mille first: 0.8765 × 100 is 87.64999… in binary.
      return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
    case 'hours':
    case 'days':
      return value.toFixed(1);
    default:
      return Math.round(value).toLocaleString('zh-CN');
  }
}

/** The unit word after a figure (hours: 小时; a count: 件), none for a share. */
export function unitWord(unit: FigureUnit): string {
  return unit === 'hours' ? '小时' : unit === 'days' ? '天' : unit === 'count' ? '件' : '';
}

export interface Change {
  direction: 'up' | 'down' | 'flat';
  /** up is good for 办结率 and bad for 超期: the arrow's colour says which. */
  tone: 'good' | 'bad' | 'neutral';
  /** The difference as words: "+3 件", "−2.5 个百分点", "+0.4 小时". */
  text: string;
}

const MINUS = '−';

/** The change against the previous period of the same length; null when either side has nothing to measure. */
export function changeOf(value: number | null, previous: number | null, unit: FigureUnit, better: Better): Change | null {
  if (value === null || previous === null || !Number.isFinite(value) || !Number.isFinite(previous)) return null;
  const raw = value - previous;
  // Compared as shown: a difference the display rounds away is no change.
  const shown = unit === 'ratio' ? Math.round(raw * 1000) / 10 : unit === 'hours' || unit === 'days' ? Math.round(raw * 10) / 10 : Math.round(raw);
  if (shown === 0) return { direction: 'flat', tone: 'neutral', text: '持平' };
  const direction = shown > 0 ? 'up' : 'down';
  const good = (direction === 'up') === (better === 'up');
  const sign = shown > 0 ? '+' : MINUS;
  const size = Math.abs(shown);
  const text =
    unit === 'ratio' ? `${sign}${size.toFixed(1)} 个百分点` : unit === 'hours' || unit === 'days' ? `${sign}${size.toFixed(1)} ${unitWord(unit)}` : `${sign}${size.toLocaleString('zh-CN')} 件`;
  return { direction, tone: good ? 'good' : 'bad', text };
}
