'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { auditRoleLabel, type AuditActions, type AuditPage, type AuditRow } from '@/lib/contracts/audit';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import styles from './audit.module.css';

interface Filters {
  person: string;
  entity: string;
  action: string;
  /** datetime-local values, read as Asia/Shanghai whatever the browser's zone. */
  from: string;
  to: string;
}
const NONE: Filters = { person: '', entity: '', action: '', from: '', to: '' };
const FIELDS = ['person', 'entity', 'action', 'from', 'to'] as const;
const PAGE = 100;

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** The query both the table and the export link send; empty boxes are left out. */
function queryOf(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of FIELDS) {
    const v = f[key].trim();
    if (!v) continue;
    // datetime-local omits the seconds when they are zero.
    q.set(key, key === 'from' || key === 'to' ? new Date(`${v.length === 16 ? `${v}:00` : v}+08:00`).toISOString() : v);
  }
  return q;
}

/** The audit log: filter, page back through it, export what the filter shows. */
export default function AuditScreen() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [actions, setActions] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  const load = useCallback(async (f: Filters, before: number | null) => {
    const q = queryOf(f);
    q.set('limit', String(PAGE));
    if (before !== null) q.set('before', String(before));
    setBusy(true);
    try {
      const page = await api.get<AuditPage>(`/api/v1/audit?${q}`);
      setRows((old) => (before === null ? page.rows : [...old, ...page.rows]));
      setNextBefore(page.nextBefore);
      setApplied(f);
      setErrors(NO_ERRORS);
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load(NONE, null);
    api.get<AuditActions>('/api/v1/audit/actions').then((a) => setActions(a.actions), () => setActions([]));
  }, [load]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void load(draft, null);
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const input = (key: keyof Filters, label: string, props: Record<string, string> = {}) => (
    <label className={styles.field}>
      <span>{label}</span>
      <input className={styles.input} value={draft[key]} onChange={set(key)} aria-invalid={!!errors.fields[key]} data-testid={`audit-${key}`} {...props} />
      {errors.fields[key] && <span className={styles.fieldError}>{errors.fields[key]}</span>}
    </label>
  );
  // Families first (event.), then each action, from what the log holds.
  const families = [...new Set(actions.filter((a) => a.includes('.')).map((a) => `${a.split('.')[0]}.`))];

  return (
    <>
      <form className={styles.filters} onSubmit={submit}>
        {input('person', '人员', { placeholder: '账号、姓名或账号编号' })}
        {input('entity', '对象', { placeholder: '如 event 或 event:123' })}
        <label className={styles.field}>
          <span>操作</span>
          <select className={styles.select} value={draft.action} onChange={set('action')} data-testid="audit-action">
            <option value="">全部</option>
            {families.map((a) => <option key={a} value={a}>{a}*</option>)}
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        {input('from', '开始时间', { type: 'datetime-local' })}
        {input('to', '结束时间', { type: 'datetime-local' })}
        <div className={styles.actions}>
          <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>查询</button>
          <button type="button" className={styles.button} disabled={busy} onClick={() => { setDraft(NONE); void load(NONE, null); }}>重置</button>
          <a className={styles.button} href={`/api/v1/audit/export.xlsx?${queryOf(applied)}`} download data-testid="audit-export">导出 Excel</a>
        </div>
      </form>
      {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
      <table className={styles.table} data-testid="audit-table">
        <thead>
          <tr><th>时间</th><th>人员</th><th>角色</th><th>操作</th><th>对象</th><th>详情</th><th>IP</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className={styles.time}>{TIME.format(new Date(r.at))}</td>
              <td>{r.name ?? '—'} {r.username && <span className={styles.muted}>{r.username}</span>}</td>
              <td>{auditRoleLabel(r.role)}</td>
              <td className={styles.code}>{r.action}</td>
              <td className={styles.code}>{r.target ?? ''}</td>
              <td className={styles.detail} title={r.detail ? JSON.stringify(r.detail, null, 2) : undefined}>{r.detail ? JSON.stringify(r.detail) : ''}</td>
              <td className={styles.code}>{r.ip ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!busy && rows.length === 0 && <p className={styles.empty}>没有符合条件的记录</p>}
      <div className={styles.footer}>
        <span>已显示 {rows.length} 条</span>
        {nextBefore !== null && (
          <button type="button" className={styles.button} disabled={busy} onClick={() => void load(applied, nextBefore)}>加载更多</button>
        )}
        {busy && <span>加载中…</span>}
      </div>
    </>
  );
}
