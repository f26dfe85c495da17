'use client';

import { useState } from 'react';
import type { StudioV1 } from '@/lib/contracts/mediation';
import { DISPUTE_KIND_LABEL } from '@/lib/contracts/citizen';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

const kindsText = (kinds: string[]) => (kinds.length ? kinds.map((k) => (DISPUTE_KIND_LABEL as Record<string, string>)[k] ?? k).join('、') : '不限');

/** S4 branded mediation studios of the station; its leaders add and retire them. */
export default function StudiosTab({ canEdit }: { canEdit: boolean }) {
  const studios = useLoad<StudioV1[]>('/api/v1/mediation/studios');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  async function add(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.post('/api/v1/mediation/studios', { name, ...(address.trim() ? { address } : {}) });
      setName('');
      setAddress('');
      setErrors(NO_ERRORS);
      studios.reload();
    } catch (err) {
      setErrors(formErrors(err, ['name', 'address']));
    }
  }
  async function toggle(s: StudioV1) {
    await api.patch(`/api/v1/mediation/studios/${s.id}`, { active: !s.active }).catch((err: Error) => setErrors({ fields: {}, message: err.message }));
    studios.reload();
  }
  return (
    <>
      {canEdit && (
        <form className={styles.form} onSubmit={add}>
          <h3>新增调解工作室</h3>
          <label className={styles.field}><span>名称</span><input className={styles.input} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={Boolean(errors.fields.name)} />
            {errors.fields.name && <span className={styles.fieldError}>{errors.fields.name}</span>}</label>
          <label className={styles.field}><span>地址</span><input className={styles.input} value={address} onChange={(e) => setAddress(e.target.value)} /></label>
          <button type="submit" className={`${styles.button} ${styles.primary}`}>添加</button>
          {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
        </form>
      )}
      {studios.error && <p className={styles.formError} role="alert">{studios.error}</p>}
      {!studios.data ? <p className={styles.loading}>加载中…</p> : studios.data.length === 0 ? <p className={styles.empty}>尚未登记调解工作室</p> : (
        <table className={styles.table}>
          <thead><tr><th>名称</th><th>地址</th><th>受理纠纷</th><th>状态</th>{canEdit && <th />}</tr></thead>
          <tbody>
            {studios.data.map((s) => (
              <tr key={s.id} data-retired={!s.active}>
                <td>{s.name}</td><td>{s.address ?? '—'}</td><td>{kindsText(s.kinds)}</td><td>{s.active ? '在用' : '已停用'}</td>
                {canEdit && <td><button type="button" className={styles.button} onClick={() => toggle(s)}>{s.active ? '停用' : '启用'}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
