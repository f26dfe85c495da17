'use client';

import { useState } from 'react';
import { MEDIATOR_KIND_LABEL, type MediatorKind, type MediatorV1, type StudioV1 } from '@/lib/contracts/mediation';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

interface Person {
  id: number;
  name: string;
  roles: { role: string }[];
}

/** S4: people's mediators, lawyers, 乡贤 and professionals of the station; phones in clear for its leaders only. */
export default function MediatorsTab({ canEdit }: { canEdit: boolean }) {
  const mediators = useLoad<MediatorV1[]>('/api/v1/mediation/mediators');
  const studios = useLoad<StudioV1[]>('/api/v1/mediation/studios');
  // The station's people who hold the mediator role: linking one lets them see their cases on the phone.
  const people = useLoad<Person[]>(canEdit ? '/api/v1/people' : null);
  const candidates = (people.data ?? []).filter((p) => p.roles.some((r) => r.role === 'mediator'));
  const [form, setForm] = useState({ name: '', kind: 'people' as MediatorKind, phone: '', studioId: '', personId: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  async function add(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.post('/api/v1/mediation/mediators', {
        name: form.name, kind: form.kind, ...(form.phone.trim() ? { phone: form.phone.trim() } : {}), ...(form.studioId ? { studioId: Number(form.studioId) } : {}),
        ...(form.personId ? { personId: Number(form.personId) } : {}),
      });
      setForm({ name: '', kind: 'people', phone: '', studioId: '', personId: '' });
      setErrors(NO_ERRORS);
      mediators.reload();
    } catch (err) {
      setErrors(formErrors(err, ['name', 'phone']));
    }
  }
  async function toggle(m: MediatorV1) {
    await api.patch(`/api/v1/mediation/mediators/${m.id}`, { active: !m.active }).catch((err: Error) => setErrors({ fields: {}, message: err.message }));
    mediators.reload();
  }
  return (
    <>
      {canEdit && (
        <form className={styles.form} onSubmit={add}>
          <h3>新增调解员</h3>
          <label className={styles.field}><span>姓名</span><input className={styles.input} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} aria-invalid={Boolean(errors.fields.name)} />
            {errors.fields.name && <span className={styles.fieldError}>{errors.fields.name}</span>}</label>
          <label className={styles.field}><span>类别</span>
            <select className={styles.select} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as MediatorKind })}>
              {Object.entries(MEDIATOR_KIND_LABEL).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
            </select></label>
          <label className={styles.field}><span>电话</span><input className={styles.input} value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} aria-invalid={Boolean(errors.fields.phone)} />
            {errors.fields.phone && <span className={styles.fieldError}>{errors.fields.phone}</span>}</label>
          <label className={styles.field}><span>所属工作室</span>
            <select className={styles.select} value={form.studioId} onChange={(e) => setForm({ ...form, studioId: e.target.value })}>
              <option value="">无</option>
              {(studios.data ?? []).filter((s) => s.active).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select></label>
          <label className={styles.field}><span>关联账号人员（手机端“我的调解”）</span>
            <select className={styles.select} value={form.personId} onChange={(e) => {
              const p = candidates.find((c) => String(c.id) === e.target.value);
              setForm({ ...form, personId: e.target.value, name: form.name || p?.name || '' });
            }}>
              <option value="">不关联</option>
              {candidates.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select></label>
          <button type="submit" className={`${styles.button} ${styles.primary}`}>添加</button>
          {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
        </form>
      )}
      {mediators.error && <p className={styles.formError} role="alert">{mediators.error}</p>}
      {!mediators.data ? <p className={styles.loading}>加载中…</p> : mediators.data.length === 0 ? <p className={styles.empty}>尚未登记调解员</p> : (
        <table className={styles.table}>
          <thead><tr><th>姓名</th><th>类别</th><th>工作室</th><th>电话</th><th>账号</th><th>状态</th>{canEdit && <th />}</tr></thead>
          <tbody>
            {mediators.data.map((m) => (
              <tr key={m.id} data-retired={!m.active}>
                <td>{m.name}</td><td>{MEDIATOR_KIND_LABEL[m.kind]}</td><td>{m.studioName ?? '—'}</td><td>{m.phone ?? '—'}</td>
                <td>{m.personId ? '已关联' : '—'}</td><td>{m.active ? '在册' : '已停用'}</td>
                {canEdit && <td><button type="button" className={styles.button} onClick={() => toggle(m)}>{m.active ? '停用' : '启用'}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
