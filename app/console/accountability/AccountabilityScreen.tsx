'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import {
  ACCOUNTABILITY_KIND_LABEL, ACCOUNTABILITY_KINDS, ACCOUNTABILITY_SOURCE_LABEL, ACCOUNTABILITY_SOURCES, type AccountabilityRecordV1,
} from '@/lib/contracts/accountability';
import { can } from '@/lib/roles';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import { useStationPick } from '@/app/admin/StationPick';
import styles from '@/app/admin/admin.module.css';
import { at, newKey } from '../reviews/format';
import CreateRecord from './CreateRecord';

/** The records within reach, filtered; the district makes and revokes them. */
export default function AccountabilityScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const params = useSearchParams();
  const event = params.get('event');
  const [kind, setKind] = useState('');
  const [source, setSource] = useState('');
  const [revoked, setRevoked] = useState('include');
  const { stationId, picker } = useStationPick(null);
  const query = new URLSearchParams({ revoked, ...(kind ? { kind } : {}), ...(source ? { source } : {}), ...(stationId ? { stationId: String(stationId) } : {}) });
  const records = useLoad<AccountabilityRecordV1[]>(me.data && (can(me.data.role, 'manageAccountability') || ['station_chief', 'deputy_chief'].includes(me.data.role)) ? `/api/v1/accountability?${query}` : null);
  const mine = useLoad<AccountabilityRecordV1[]>(me.data ? '/api/v1/accountability/mine' : null);
  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  const district = can(me.data.role, 'manageAccountability');
  return (
    <>
      {district && <CreateRecord eventId={event && /^\d+$/.test(event) ? Number(event) : null} onDone={records.reload} />}
      <section className={styles.panel}>
        <h2>追责问责记录</h2>
        <div className={styles.form} role="group" aria-label="筛选">
          {district && picker}
          <label className={styles.field}><span>类型</span>
            <select className={styles.select} value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">全部</option>
              {ACCOUNTABILITY_KINDS.map((k) => <option key={k} value={k}>{ACCOUNTABILITY_KIND_LABEL[k]}</option>)}
            </select>
          </label>
          <label className={styles.field}><span>来源</span>
            <select className={styles.select} value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="">全部</option>
              {ACCOUNTABILITY_SOURCES.map((s) => <option key={s} value={s}>{ACCOUNTABILITY_SOURCE_LABEL[s]}</option>)}
            </select>
          </label>
          <label className={styles.field}><span>撤销</span>
            <select className={styles.select} value={revoked} onChange={(e) => setRevoked(e.target.value)}>
              <option value="include">含已撤销</option>
              <option value="exclude">不含已撤销</option>
              <option value="only">只看已撤销</option>
            </select>
          </label>
        </div>
        {records.error && <p className={styles.formError} role="alert">{records.error}</p>}
        {records.data && <RecordTable records={records.data} mayRevoke={district} onChange={records.reload} testId="record-list" />}
      </section>
      {mine.data && mine.data.length > 0 && (
        <section className={styles.panel}>
          <h2>涉及我的记录</h2>
          <RecordTable records={mine.data} mayRevoke={false} onChange={mine.reload} testId="mine-list" />
        </section>
      )}
    </>
  );
}

function RecordTable({ records, mayRevoke, onChange, testId }: { records: AccountabilityRecordV1[]; mayRevoke: boolean; onChange: () => void; testId: string }) {
  if (records.length === 0) return <p className={styles.empty}>暂无记录</p>;
  return (
    <table className={styles.table} data-testid={testId}>
      <thead><tr><th>作出日期</th><th>类型</th><th>工作站</th><th>部门</th><th>来源</th><th>事由</th><th>点名人员</th><th>关联事件</th><th>状态</th>{mayRevoke && <th />}</tr></thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.id} data-testid={`record-${r.id}`} data-revoked={r.revokedAt !== null}>
            <td>{r.decidedOn}</td>
            <td>{ACCOUNTABILITY_KIND_LABEL[r.kind]}（{r.weight} 分）</td>
            <td>{r.stationName}</td>
            <td>{r.departmentName ?? '—'}</td>
            <td>{ACCOUNTABILITY_SOURCE_LABEL[r.source]}</td>
            <td><strong>{r.title}</strong><br />{r.detail}</td>
            <td>{r.people.map((p) => p.name).join('、') || '—'}</td>
            <td>{r.events.length === 0 ? '—' : r.events.map((e) => <span key={e.id}>#{e.id} {e.title}{e.redCarded ? '（红牌）' : ''}<br /></span>)}</td>
            <td>{r.revokedAt ? `已撤销（${at(r.revokedAt)}：${r.revokedReason}）` : '有效'}</td>
            {mayRevoke && <td>{!r.revokedAt && <Revoke id={r.id} onDone={onChange} />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 撤销: with a reason; the record stays, marked, and no longer counts. */
function Revoke({ id, onDone }: { id: number; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [key] = useState(newKey);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  if (!open) return <button type="button" className={styles.button} onClick={() => setOpen(true)}>撤销</button>;
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.post(`/api/v1/accountability/${id}/revoke`, { requestKey: key, reason });
      onDone();
    } catch (err) {
      setErrors(formErrors(err, ['reason']));
    }
  }
  return (
    <form onSubmit={submit} className={styles.inline}>
      <input className={styles.input} aria-label="撤销理由" placeholder="撤销理由" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors.fields.reason)} />
      <button type="submit" className={`${styles.button} ${styles.danger}`}>确认撤销</button>
      {(errors.fields.reason || errors.message) && <span className={styles.fieldError}>{errors.fields.reason ?? errors.message}</span>}
    </form>
  );
}

