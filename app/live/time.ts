/*
 * The command room keeps Asia/Shanghai time whatever the screen's machine is set to. Shanghai has
 * kept UTC+8 all year since 1991, so its day boundary is plain arithmetic, cheap enough to run on
 * every recount.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Epoch ms of the Shanghai midnight that began the day holding `ms`. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

const hourMinute = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export function formatHourMinute(ms: number): string {
  return hourMinute.format(ms);
}

export function formatDateTime(ms: number): string {
  return dateTime.format(ms);
}
