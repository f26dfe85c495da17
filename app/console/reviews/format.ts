import type { PulledFigureV1 } from '@/lib/contracts/reviews';

const DAY = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export const day = (iso: string | null) => (iso ? DAY.format(new Date(iso)) : '—');
export const at = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '—');

/** A pulled figure as read aloud: 12 个, 87.5%（35/40）, or 无数据. */
export function figureText(f: PulledFigureV1): string {
  if (f.value === null) return '无数据';
  if (f.unit === 'ratio') return `${(f.value * 100).toFixed(1)}%${f.den !== undefined ? `（${f.num}/${f.den}）` : ''}`;
  return `${f.value} ${f.unit}`;
}

/** Marks as the sheet prints them: 6, 3.5, 96.25. */
export const marks = (n: number | null) => (n === null ? '—' : String(Math.round(n * 100) / 100));

export { newKey } from '@/app/field/keys';
