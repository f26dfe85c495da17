/*
 * Times as the station reads them: Asia/Shanghai whatever the phone is set to (a borrowed phone,
 * a traveller's SIM), in Chinese.
 */

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const hourMinute = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "11/30 16:57" */
export function formatDateTime(iso: string | number): string {
  return dateTime.format(typeof iso === 'number' ? iso : Date.parse(iso));
}

/** "16:57" */
export function formatTime(iso: string | number): string {
  return hourMinute.format(typeof iso === 'number' ? iso : Date.parse(iso));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span as a person says it: "2天3小时", "5小时12分", "8分钟". */
export function formatSpan(ms: number): string {
  const m = Math.max(0, Math.floor(ms / MINUTE));
  const d = Math.floor(m / (DAY / MINUTE));
  const h = Math.floor((m % (DAY / MINUTE)) / 60);
  const min = m % 60;
  if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`;
  if (h > 0) return min > 0 ? `${h}小时${min}分` : `${h}小时`;
  return `${Math.max(1, min)}分钟`;
}

/** A short wait, to the second: the outbox's next retry is often seconds away. */
export function formatWait(ms: number): string {
  return ms < MINUTE ? `${Math.max(1, Math.ceil(ms / 1000))}秒` : formatSpan(ms);
}

export type DeadlineTone = 'ok' | 'soon' | 'over';

/** How much time is left, and how worried to look: under a day is "soon". */
export function deadlineStatus(deadlineIso: string | null, now: number): { text: string; tone: DeadlineTone } | null {
  if (!deadlineIso) return null;
  const left = Date.parse(deadlineIso) - now;
  if (!Number.isFinite(left)) return null;
  if (left < 0) return { text: `已超时 ${formatSpan(-left)}`, tone: 'over' };
  return { text: `剩 ${formatSpan(left)}`, tone: left < DAY ? 'soon' : 'ok' };
}
