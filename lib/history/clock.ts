/*
 * The replay's clock (issue 12, part 5): a time inside [from, to] moved on by real time × speed,
 * stopping at the end. Pure: the page owns the animation frame and passes elapsed real time in.
 */

/** Speeds offered: real time, 10×, a minute a second, five minutes a second. */
export const SPEEDS = [1, 10, 60, 300] as const;
export type Speed = (typeof SPEEDS)[number];

export interface Clock {
  from: number;
  to: number;
  t: number;
  playing: boolean;
  speed: Speed;
}

export function clockOf(from: number, to: number, speed: Speed = 60): Clock {
  return { from, to, t: from, playing: false, speed };
}

const clamp = (c: Clock, t: number) => Math.min(c.to, Math.max(c.from, t));

/** Moves a playing clock on by `realMs` of real time; it stops by itself at the end. */
export function advance(c: Clock, realMs: number): Clock {
  if (!c.playing || realMs <= 0) return c;
  const t = clamp(c, c.t + realMs * c.speed);
  return { ...c, t, playing: t < c.to };
}

/** Play from where it stands, or from the start once at the end. */
export function play(c: Clock): Clock {
  return { ...c, playing: true, t: c.t >= c.to ? c.from : c.t };
}

export const pause = (c: Clock): Clock => ({ ...c, playing: false });
export const seek = (c: Clock, t: number): Clock => ({ ...c, t: clamp(c, t) });
export const withSpeed = (c: Clock, speed: Speed): Clock => ({ ...c, speed });

const SHANGHAI_MS = 8 * 3_600_000; // China has no daylight saving time.

/**
 * "14:05", "9:05" or "14:05:30" (full-width colons too) as that time of `now`'s Shanghai day, in
 * epoch milliseconds; null when the text is no time of day.
 */
export function shanghaiTimeToday(text: string, now: number): number | null {
  const m = /^\s*([01]?\d|2[0-3])[:：]([0-5]\d)(?:[:：]([0-5]\d))?\s*$/.exec(text);
  if (!m) return null;
  const dayStart = Math.floor((now + SHANGHAI_MS) / 86_400_000) * 86_400_000 - SHANGHAI_MS;
  return dayStart + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Epoch milliseconds as Shanghai wall-clock "HH:MM:SS". */
export function shanghaiClock(ms: number): string {
  return new Date(ms + SHANGHAI_MS).toISOString().slice(11, 19);
}

/** Epoch milliseconds as a Shanghai "YYYY-MM-DDTHH:MM" for a datetime-local input, and back. */
export function toLocalInput(ms: number): string {
  return new Date(ms + SHANGHAI_MS).toISOString().slice(0, 16);
}
export function fromLocalInput(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null;
  const ms = Date.parse(`${text}${text.length === 16 ? ':00' : ''}+08:00`);
  return Number.isNaN(ms) ? null : ms;
}
