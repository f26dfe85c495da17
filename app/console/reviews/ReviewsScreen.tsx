'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { REVIEW_STATE_LABEL, TASK_STATE_LABEL, type ReviewSummaryV1, type ReviewTaskV1, type ReviewV1 } from '@/lib/contracts/reviews';
import { can } from '@/lib/roles';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import { useStationPick } from '@/app/admin/StationPick';
import styles from '@/app/admin/admin.module.css';
import { day, marks, newKey } from './format';

const THIS_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
const TASK_FILTERS = [
  { id: 'open', label: '整改中' },
  { id: 'overdue', label: '已逾期' },
  { id: 'done', label: '已整改' },
  { id: 'all', label: '全部' },
] as const;

/** Reviews by year, opening one (the district), and the follow-up tasks (closed by the station's leaders). */
export default function ReviewsScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const [year, setYear] = useState(THIS_YEAR);
  const reviews = useLoad<ReviewSummaryV1[]>(`/api/v1/reviews?year=${year}`);
  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  const district = can(me.data.role, 'reviewStations');
  return (
    <>
      <section className={styles.panel}>
        <div className={styles.yearBar}>
          <label className={styles.note} htmlFor="review-year">年度</label>
          <select id="review-year" className={styles.select} value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2, THIS_YEAR - 3].map((y) => <option key={y} value={y}>{y} 年度</option>)}
          </select>
        </div>
        {district && <OpenReview year={year} />}
        {reviews.error && <p className={styles.formError} role="alert">{reviews.error}</p>}
        {!reviews.data ? <p className={styles.loading}>加载中…</p> : reviews.data.length === 0 ? <p className={styles.empty}>{year} 年度尚无验收</p> : (
          <table className={styles.table} data-testid="review-list">
            <thead><tr><th>工作站</th><th>年度</th><th>状态</th><th>得分</th><th>评定人</th><th>评定时间</th><th>整改任务</th></tr></thead>
            <tbody>
              {reviews.data.map((r) => (
                <tr key={r.id} data-testid={`review-${r.id}`}>
                  <td><Link href={`/console/reviews/${r.id}`}>{r.stationName}</Link></td>
                  <td>{r.year}</td>
                  <td>{REVIEW_STATE_LABEL[r.state]}</td>
                  <td className={styles.num}>{r.score === null ? '—' : `${marks(r.score)} / ${marks(r.maxScore)}`}</td>
                  <td>{r.scoredName ?? '—'}</td>
                  <td>{day(r.scoredAt)}</td>
                  <td>{r.openTasks === 0 ? '—' : `${r.openTasks} 项整改中${r.overdueTasks ? `（${r.overdueTasks} 项逾期）` : ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Tasks mayClose={can(me.data.role, 'closeReviewTasks')} />
    </>
  );
}

/** 开启验收: a station and the year; the server pulls its figures now. */
function OpenReview({ year }: { year: number }) {
  const { stationId, picker } = useStationPick(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  async function open() {
    if (stationId === null) return;
    setBusy(true);
    try {
      const r = await api.post<ReviewV1>('/api/v1/reviews', { stationId, year });
      router.push(`/console/reviews/${r.id}`);
    } catch (err) {
      setErrors(formErrors(err, []));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className={styles.form} data-testid="open-review">
      {picker}
      <button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy || stationId === null} onClick={open}>开启 {year} 年度验收</button>
      <span className={styles.hint}>开启时从系统提取人员配备、会商、联查与年度指标，存为各项证据。</span>
      {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
    </div>
  );
}

/** 整改任务: overdue ones marked; the station's leaders close theirs with what was done. */
function Tasks({ mayClose }: { mayClose: boolean }) {
  const [filter, setFilter] = useState<(typeof TASK_FILTERS)[number]['id']>('open');
  const tasks = useLoad<ReviewTaskV1[]>(`/api/v1/review-tasks?state=${filter}`);
  return (
    <section className={styles.panel}>
      <h2>整改任务</h2>
      <div className={styles.yearBar}>
        <label className={styles.note} htmlFor="task-filter">状态</label>
        <select id="task-filter" className={styles.select} value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
          {TASK_FILTERS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </select>
      </div>
      {tasks.error && <p className={styles.formError} role="alert">{tasks.error}</p>}
      {!tasks.data ? <p className={styles.loading}>加载中…</p> : tasks.data.length === 0 ? <p className={styles.empty}>暂无整改任务</p> : (
        <table className={styles.table} data-testid="task-list">
          <thead><tr><th>工作站</th><th>年度</th><th>验收项</th><th>整改要求</th><th>期限</th><th>状态</th><th>整改情况</th>{mayClose && <th />}</tr></thead>
          <tbody>
            {tasks.data.map((t) => (
              <tr key={t.id} data-testid={`task-${t.id}`} data-overdue={t.overdue}>
                <td>{t.stationName}</td>
                <td><Link href={`/console/reviews/${t.reviewId}`}>{t.year}</Link></td>
                <td>{t.itemName}</td>
                <td>{t.title}</td>
                <td>{t.dueOn}{t.overdue && <span className={`${styles.badge} ${styles.danger}`}>已逾期</span>}</td>
                <td>{TASK_STATE_LABEL[t.state]}</td>
                <td>{t.doneNote ? `${t.doneNote}（${t.doneName ?? ''} ${day(t.doneAt)}）` : '—'}</td>
                {mayClose && <td>{t.state === 'open' && <CloseTask task={t} onDone={tasks.reload} />}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CloseTask({ task, onDone }: { task: ReviewTaskV1; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [key] = useState(newKey);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  if (!open) return <button type="button" className={styles.button} onClick={() => setOpen(true)}>整改完成</button>;
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.post(`/api/v1/review-tasks/${task.id}/done`, { requestKey: key, note });
      onDone();
    } catch (err) {
      setErrors(formErrors(err, ['note']));
    }
  }
  return (
    <form onSubmit={submit} className={styles.inline}>
      <input className={styles.input} aria-label="整改情况" placeholder="整改情况" value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={Boolean(errors.fields.note)} />
      <button type="submit" className={`${styles.button} ${styles.primary}`}>提交</button>
      {(errors.fields.note || errors.message) && <span className={styles.fieldError}>{errors.fields.note ?? errors.message}</span>}
    </form>
  );
}
