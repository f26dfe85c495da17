'use client';

import { useMemo, useState } from 'react';
import { PERIOD_KIND_LABEL, PERIOD_KINDS, type AssessmentPeriodKind } from '@/lib/assessment/periods';
import type { Me } from '@/lib/contracts/auth';
import type { ReportRecordV1 } from '@/lib/contracts/reports';
import { DISTRICT_ROLES } from '@/lib/roles';
import { lastEnded, periodKeyOf, type PeriodChoice } from '@/lib/reports/choice';
import { shanghaiTime } from '@/lib/reports/format';
import { api } from '@/app/admin/api';
import { newKey } from '@/app/field/keys';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

interface StationsGeo {
  features: { properties: { id: number; name: string } }[];
}

/** Period and scope, the download and print links, on-demand generation and the reports already made. */
export default function ReportsScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const district = me.data ? DISTRICT_ROLES.includes(me.data.role) : false;
  const stations = useLoad<StationsGeo>(district ? '/api/v1/stations' : null);
  const [choice, setChoice] = useState<PeriodChoice>(() => lastEnded('month', today()));
  const [scope, setScope] = useState('district');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const list = useLoad<ReportRecordV1[]>('/api/v1/reports');

  const period = periodKeyOf(choice);
  const effectiveScope = district ? scope : me.data?.stationId ? `s:${me.data.stationId}` : '';
  const query = `scope=${encodeURIComponent(effectiveScope)}`;
  const years = useMemo(() => {
    const y = Number(today().slice(0, 4));
    return Array.from({ length: 6 }, (_, i) => y - i);
  }, []);

  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  if (!district && me.data.stationId === null) return <p className={styles.empty}>此账号不属于任何工作站。</p>;

  const setKind = (kind: AssessmentPeriodKind) => setChoice(lastEnded(kind, today()));
  const generate = async () => {
    setBusy(true);
    setNote('');
    try {
      const r = await api.post<{ record: ReportRecordV1; made: boolean }>(`/api/v1/reports/${period}/generate`, { scope: effectiveScope, requestKey: `report-${newKey()}` });
      setNote(r.made ? `已生成（${kb(r.record.bytes)}）` : '已封账的报告已是最新，无需重新生成');
      list.reload();
    } catch (err) {
      setNote(`生成失败：${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.panel} data-testid="reports-page">
      <form onSubmit={(e) => e.preventDefault()} style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'end' }}>
        <label className={styles.field}>
          <span>时段类型</span>
          <select value={choice.kind} onChange={(e) => setKind(e.target.value as AssessmentPeriodKind)} data-testid="report-kind">
            {PERIOD_KINDS.map((k) => <option key={k} value={k}>{PERIOD_KIND_LABEL[k]}</option>)}
          </select>
        </label>
        <label className={styles.field}>
          <span>年度</span>
          <select value={choice.year} onChange={(e) => setChoice({ ...choice, year: Number(e.target.value) })} data-testid="report-year">
            {years.map((y) => <option key={y} value={y}>{y} 年</option>)}
          </select>
        </label>
        {choice.kind !== 'year' && (
          <label className={styles.field}>
            <span>{choice.kind === 'month' ? '月份' : '季度'}</span>
            <select value={choice.part} onChange={(e) => setChoice({ ...choice, part: Number(e.target.value) })} data-testid="report-part">
              {Array.from({ length: choice.kind === 'month' ? 12 : 4 }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>{choice.kind === 'month' ? `${n} 月` : `第 ${n} 季度`}</option>
              ))}
            </select>
          </label>
        )}
        {district ? (
          <label className={styles.field}>
            <span>范围</span>
            <select value={scope} onChange={(e) => setScope(e.target.value)} data-testid="report-scope">
              <option value="district">全区</option>
              {(stations.data?.features ?? []).map((f) => <option key={f.properties.id} value={`s:${f.properties.id}`}>{f.properties.name}</option>)}
            </select>
          </label>
        ) : (
          <span className={styles.field}><span>范围</span><span>本站</span></span>
        )}
        <a className={styles.button} href={`/api/v1/reports/${period}.xlsx?${query}`} download data-testid="download-xlsx">下载 xlsx</a>
        <a className={styles.button} href={`/console/reports/print?period=${period}&${query}`} target="_blank" rel="noopener" data-testid="open-print">打印页（A4）</a>
        <button type="button" className={styles.button} disabled={busy} onClick={() => void generate()}>{busy ? '生成中…' : '立即生成'}</button>
      </form>
      <p style={{ color: '#8fb0d0', fontSize: 13 }}>
        已结束的时段由定时任务封账后自动生成全区报告；未封账的时段按需当场生成，表中标注“未封账”。每次下载与打印均记入审计日志。
      </p>
      {note && <p role="status">{note}</p>}
      <h2 style={{ fontSize: 16, marginTop: 20 }}>已生成的报告</h2>
      {list.error && <p className={styles.formError} role="alert">{list.error}</p>}
      {list.data && list.data.length === 0 && <p className={styles.empty}>尚无报告。</p>}
      {list.data && list.data.length > 0 && (
        <table className={styles.table} data-testid="report-list">
          <thead>
            <tr><th>时段</th><th>范围</th><th>状态</th><th>大小</th><th>SHA-256</th><th>生成时间</th><th>生成人</th><th /></tr>
          </thead>
          <tbody>
            {list.data.map((r) => (
              <tr key={r.id}>
                <td>{r.period}</td>
                <td>{r.scopeName}</td>
                <td>{r.frozen ? '已封账' : '未封账'}</td>
                <td>{kb(r.bytes)}</td>
                <td title={r.sha256}><code>{r.sha256.slice(0, 12)}…</code></td>
                <td>{shanghaiTime(r.generatedAt)}</td>
                <td>{r.generatedBy ?? '定时任务'}</td>
                <td><a href={`/api/v1/reports/${r.period}.xlsx?scope=${encodeURIComponent(r.scope)}`} download>下载</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
