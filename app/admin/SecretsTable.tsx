'use client';

import { useState } from 'react';
import { api, formErrors } from './api';
import type { SecretRow } from './masterTypes';
import { when } from './useLoad';
import styles from './admin.module.css';

/** Issued secrets (device tokens, walls, API keys): when each was made and last used, and revoking it. */
export default function SecretsTable<R extends SecretRow>({ label, rows, extra, revokePath, reload }: {
  label: string;
  rows: R[];
  /** One more column: what the secret is for. */
  extra: { title: string; value: (row: R) => string };
  revokePath: (id: number) => string;
  reload: () => void;
}) {
  const [error, setError] = useState('');

  async function revoke(row: R) {
    if (!window.confirm(`吊销“${row.name}”后它立即失效，且不能恢复。确定吊销？`)) return;
    setError('');
    try {
      await api.post(revokePath(row.id));
      reload();
    } catch (err) {
      setError(formErrors(err, []).message);
    }
  }

  if (rows.length === 0) return <p className={styles.empty}>尚未签发{label}。</p>;
  return (
    <>
      {error && <p className={styles.formError} role="alert">{error}</p>}
      <table className={styles.table} aria-label={label}>
        <thead><tr><th>名称</th><th>{extra.title}</th><th>签发</th><th>最后使用</th><th>状态</th><th /></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-retired={!!r.revokedAt} data-name={r.name}>
              <td>{r.name}</td>
              <td>{extra.value(r)}</td>
              <td>{when(r.createdAt)}</td>
              <td>{r.lastUsedAt ? when(r.lastUsedAt) : '从未使用'}</td>
              <td>{r.revokedAt ? <span className={styles.badge} data-kind="retired">已吊销 {when(r.revokedAt)}</span> : <span className={styles.badge}>有效</span>}</td>
              <td>{!r.revokedAt && <button type="button" className={`${styles.button} ${styles.danger}`} onClick={() => void revoke(r)}>吊销</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
