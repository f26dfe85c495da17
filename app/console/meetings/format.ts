/**
 * Times on the meetings and record pages, always in the command room's zone (Asia/Shanghai),
 * whatever the browser's own zone is.
 */

const TZ = 'Asia/Shanghai';

const STAMP = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit' });

function partsOf(iso: string): Record<string, string> | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return Object.fromEntries(STAMP.formatToParts(at).map((p) => [p.type, p.value]));
}

/** 12月7日 周一 09:00 — a meeting in its month's list. */
export function meetingTime(iso: string | null): string {
  const p = iso ? partsOf(iso) : null;
  return p ? `${p.month}月${p.day}日 ${p.weekday} ${p.hour}:${p.minute}` : '—';
}

/** 2025年12月7日 周一 09:00 — a time on the printed record. */
export function fullTime(iso: string | null): string {
  const p = iso ? partsOf(iso) : null;
  return p ? `${p.year}年${p.month}月${p.day}日 ${p.weekday} ${p.hour}:${p.minute}` : '—';
}

/** The month (YYYY-MM) it now is in Shanghai. */
export function shanghaiMonth(now: Date = new Date()): string {
  const p = Object.fromEntries(MONTH.formatToParts(now).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 2025年12月 */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

/** A calendar day (YYYY-MM-DD, already a Shanghai day) as 12月7日. */
export function dayLabel(day: string): string {
  const [, m, d] = day.split('-').map(Number);
  return `${m}月${d}日`;
}

