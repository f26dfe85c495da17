'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

/**
 * One GET, its error, and a way to read it again after a change. `path` null loads nothing (no
 * station chosen yet); data read for an earlier path is not shown under a new one.
 */
export function useLoad<T>(path: string | null): { data: T | null; error: string; reload: () => void } {
  const [got, setGot] = useState<{ path: string; data: T } | null>(null);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!path) return;
    let current = true;
    api.get<T>(path).then(
      (data) => {
        if (!current) return;
        setGot({ path, data });
        setError('');
      },
      (err: unknown) => {
        if (current) setError((err as Error).message);
      },
    );
    return () => {
      current = false;
    };
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: got && got.path === path ? got.data : null, error, reload };
}

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** A moment as the district reads it (Asia/Shanghai), or a dash. */
export const when = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '—');

/** Today's date in Shanghai, YYYY-MM-DD. */
export const today = () => DAY.format(new Date());

/** The date `n` days after `day` (calendar arithmetic on UTC noon, free of the browser's zone). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week `day` falls in (the roster is planned Monday to Sunday). */
export const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));

/** A `datetime-local` value, read as Shanghai time, as the ISO instant the API takes. */
export const shanghaiIso = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '');
