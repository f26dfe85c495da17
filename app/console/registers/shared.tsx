'use client';

import { useState } from 'react';
import { api } from '@/app/admin/api';
import styles from '@/app/admin/admin.module.css';

export interface GridOption {
  code: string;
  name: string;
}

/** A coordinate box's value: a number when it reads as one; otherwise sent as typed, so the server names the mistake. */
export function decimal(text: string): number | string | undefined {
  if (text.trim() === '') return undefined;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
}

/** The fields of `next` that differ from `before`: an edit sends only what changed. */
export function changed<T extends Record<string, unknown>>(before: Partial<T>, next: T): Partial<T> {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k]))) as Partial<T>;
}

export function GridSelect({ grids, value, onChange, label = '网格', empty = '全部网格' }: { grids: GridOption[]; value: string; onChange: (code: string) => void; label?: string; empty?: string }) {
  return (
    <select className={styles.select} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{empty}</option>
      {grids.map((g) => <option key={g.code} value={g.code}>{g.name}</option>)}
    </select>
  );
}

/** A remove button that asks first and says why it failed. */
export function RemoveButton({ what, path, onDone }: { what: string; path: string; onDone: () => void }) {
  const [error, setError] = useState('');
  async function remove() {
    if (!window.confirm(`确定将“${what}”移出名册？既往走访记录保留。`)) return;
    try {
      await api.delete(path, {});
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <>
      <button type="button" className={`${styles.button} ${styles.danger}`} onClick={remove}>移除</button>
      {error && <span className={styles.fieldError} role="alert">{error}</span>}
    </>
  );
}
