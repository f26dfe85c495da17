'use client';

import { useRef, useState, type ChangeEvent } from 'react';
import { http, HttpError } from '@/app/http';
import styles from './admin.module.css';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Bulk import of one kind of master data or register from an xlsx or CSV file (issues 10, 12): all or nothing; a
 * refused file lists every row and column at fault, and nothing was written.
 */
export default function ImportSheet({ kind, label, onDone }: { kind: 'people' | 'stations' | 'units' | 'places' | 'key-persons'; label: string; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; lines: string[] } | null>(null);

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setResult(null);
    try {
      const type = file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX;
      const { imported } = await http.upload<{ imported?: number }>(`/api/v1/import/${kind}`, file, { type, what: '导入' });
      setResult({ ok: true, lines: [`已导入 ${imported} 条`] });
      onDone();
    } catch (err) {
      setResult({ ok: false, lines: err instanceof HttpError ? [err.message, ...err.issues.map((i) => i.message)] : ['网络错误，请稍后重试'] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={styles.actions}>
      <button type="button" className={styles.button} disabled={busy} onClick={() => input.current?.click()}>
        {busy ? '导入中…' : `从 Excel / CSV 导入${label}`}
      </button>
      <a className={styles.button} href={`/api/v1/import/${kind}/template.xlsx`} download>下载模板</a>
      <input ref={input} type="file" accept=".xlsx,.csv" hidden onChange={upload} data-testid={`import-${kind}`} />
      {result && (
        <ul className={result.ok ? styles.hint : styles.formError} role={result.ok ? 'status' : 'alert'}>
          {result.lines.slice(0, 50).map((l, i) => <li key={i}>{l}</li>)}
          {result.lines.length > 50 && <li>…… 另有 {result.lines.length - 50} 处</li>}
        </ul>
      )}
    </div>
  );
}
