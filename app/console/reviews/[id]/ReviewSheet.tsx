'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { REVIEW_SECTIONS, REVIEW_STATE_LABEL, TASK_STATE_LABEL, type ReviewDocumentV1, type ReviewItemV1, type ReviewTaskV1, type ReviewV1 } from '@/lib/contracts/reviews';
import { bySection } from '@/lib/reviews/checklist';
import { can } from '@/lib/roles';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';
import sheet from './review.module.css';
import { at, day, figureText, marks, newKey } from '../format';

interface Draft {
  score: string;
  finding: string;
  photos: string[];
  documents: ReviewDocumentV1[];
}

const draftOf = (i: ReviewItemV1): Draft => ({ score: i.score === null ? '' : String(i.score), finding: i.finding, photos: i.photos, documents: i.documents });
const SECTION_NAME = Object.fromEntries(REVIEW_SECTIONS.map((s) => [s.code, s.name]));

/** The checklist of one station and year: what the district edits while it is a draft, and what prints. */
export default function ReviewSheet({ id }: { id: string }) {
  const me = useLoad<Me>('/api/v1/auth/me');
  const review = useLoad<ReviewV1>(`/api/v1/reviews/${id}`);
  if (review.error) return <p className={styles.formError} role="alert">{review.error}</p>;
  if (!review.data || !me.data) return <p className={styles.loading}>加载中…</p>;
  // Keyed by the review's last change: the drafts start again from what the server holds after each save.
  return <Sheet key={`${review.data.updatedAt}-${review.data.tasks.length}`} r={review.data} me={me.data} reload={review.reload} />;
}

function Sheet({ r, me, reload }: { r: ReviewV1; me: Me; reload: () => void }) {
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(r.items.map((i) => [i.code, draftOf(i)])));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const editable = can(me.role, 'reviewStations') && r.state === 'draft';

  async function act(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await run();
      setSaved(done);
      reload();
    } catch (err) {
      setErrors(formErrors(err, []));
    } finally {
      setBusy(false);
    }
  }
  const save = () => act(() => api.put(`/api/v1/reviews/${r.id}`, {
    requestKey: newKey(),
    items: r.items.map((i) => {
      const d = drafts[i.code] ?? draftOf(i);
      return { code: i.code, score: d.score.trim() === '' ? null : Number(d.score), finding: d.finding, photos: d.photos, documents: d.documents };
    }),
  }), '已保存');
  const edit = (code: string, change: Partial<Draft>) => setDrafts((all) => ({ ...all, [code]: { ...all[code], ...change } }));

  return (
    <>
      <div className={sheet.summary}>
        <strong>{r.stationName}</strong>
        <span>{r.year} 年度</span>
        <span>状态：{REVIEW_STATE_LABEL[r.state]}</span>
        <span data-testid="review-score">得分：{r.score === null ? '未评定' : `${marks(r.score)} / ${marks(r.maxScore)}`}</span>
        {r.scoredName && <span>评定：{r.scoredName} {at(r.scoredAt)}</span>}
        <span>系统数据提取于 {at(r.figuresAt)}</span>
      </div>
      <div className={sheet.toolbar}>
        {editable && <button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy} onClick={save}>保存</button>}
        {editable && <button type="button" className={styles.button} disabled={busy} onClick={() => act(() => api.post(`/api/v1/reviews/${r.id}/figures`, { requestKey: newKey() }), '已重新提取系统数据')}>重新提取系统数据</button>}
        {editable && <button type="button" className={styles.button} disabled={busy} onClick={() => act(() => api.post(`/api/v1/reviews/${r.id}/score`, { requestKey: newKey() }), '已评定')}>评定（评定后不能修改）</button>}
        <button type="button" className={styles.button} onClick={() => window.print()}>打印</button>
        {saved && !errors.message && <span className={styles.note} role="status">{saved}</span>}
        {errors.message && <span className={styles.formError} role="alert">{errors.message}</span>}
      </div>
      {bySection(r.items).map((s) => (
        <section key={s.section}>
          <h2 className={sheet.section}>{SECTION_NAME[s.section]}（{s.score === null ? '—' : marks(s.score)} / {marks(s.full)}）</h2>
          {s.items.map((i) => (
            <Item key={i.code} item={i} draft={drafts[i.code] ?? draftOf(i)} editable={editable} onChange={(c) => edit(i.code, c)}
              task={r.tasks.find((t) => t.itemCode === i.code) ?? null} mayTask={can(me.role, 'reviewStations')} reviewId={r.id} onTask={reload} />
          ))}
        </section>
      ))}
    </>
  );
}

function Item({ item, draft, editable, onChange, task, mayTask, reviewId, onTask }: {
  item: ReviewItemV1; draft: Draft; editable: boolean; onChange: (c: Partial<Draft>) => void;
  task: ReviewTaskV1 | null; mayTask: boolean; reviewId: number; onTask: () => void;
}) {
  const [doc, setDoc] = useState({ title: '', note: '' });
  const [uploadError, setUploadError] = useState('');
  async function upload(file: File) {
    setUploadError('');
    const res = await fetch('/api/v1/photos', { method: 'POST', headers: { 'content-type': file.type }, body: file });
    if (!res.ok) {
      setUploadError('照片上传失败：须为 JPEG、PNG 或 WebP，不超过 10 MB');
      return;
    }
    const { id } = (await res.json()) as { id: string };
    onChange({ photos: [...new Set([...draft.photos, id])] });
  }
  return (
    <div className={sheet.item} data-testid={`item-${item.code}`}>
      <div>
        <strong>{item.name}</strong>（满分 {item.full}）
        <p className={sheet.requirement}>{item.requirement}</p>
        {item.figures.length > 0 && (
          <ul className={sheet.figures} aria-label="系统数据">
            {item.figures.map((f) => <li key={f.code}>{f.label}：{figureText(f)}{f.detail ? `（${f.detail}）` : ''}</li>)}
          </ul>
        )}
        <div className={sheet.photos}>
          {/* eslint-disable-next-line @next/next/no-img-element -- our own photo route, sized by CSS */}
          {draft.photos.map((p) => <img key={p} src={`/api/v1/photos/${p}`} alt="验收照片" />)}
          {editable && <input type="file" className={sheet.noPrint} accept="image/jpeg,image/png,image/webp" aria-label={`${item.name} 上传照片`} onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />}
        </div>
        {uploadError && <p className={styles.formError} role="alert">{uploadError}</p>}
        {draft.documents.length > 0 && (
          <ul className={sheet.docs} aria-label="佐证材料">
            {draft.documents.map((d, n) => (
              <li key={`${d.title}-${n}`}>{d.title}{d.note ? `：${d.note}` : ''}
                {editable && <button type="button" className={`${styles.button} ${sheet.noPrint}`} onClick={() => onChange({ documents: draft.documents.filter((_, k) => k !== n) })}>删除</button>}
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <div className={`${styles.inline} ${sheet.noPrint}`}>
            <input className={styles.input} placeholder="材料名称" aria-label="材料名称" value={doc.title} onChange={(e) => setDoc({ ...doc, title: e.target.value })} />
            <input className={styles.input} placeholder="说明" aria-label="材料说明" value={doc.note} onChange={(e) => setDoc({ ...doc, note: e.target.value })} />
            <button type="button" className={styles.button} disabled={!doc.title.trim()} onClick={() => { onChange({ documents: [...draft.documents, { title: doc.title.trim(), note: doc.note.trim() }] }); setDoc({ title: '', note: '' }); }}>添加材料</button>
          </div>
        )}
      </div>
      <div className={sheet.score}>
        <label className={styles.field}><span>得分（0–{item.full}）</span>
          <input className={styles.input} type="number" min={0} max={item.full} step={0.01} value={draft.score} disabled={!editable} onChange={(e) => onChange({ score: e.target.value })} aria-label={`${item.name} 得分`} />
        </label>
        <span className={sheet.printed}>得分：{draft.score || '—'}</span>
        <label className={styles.field}><span>存在问题</span>
          <textarea className={styles.input} rows={3} value={draft.finding} disabled={!editable} onChange={(e) => onChange({ finding: e.target.value })} aria-label={`${item.name} 存在问题`} />
        </label>
        {draft.finding && <span className={sheet.printed}>存在问题：{draft.finding}</span>}
        {task ? (
          <p className={sheet.task} data-testid={`task-of-${item.code}`}>整改：{task.title}，期限 {task.dueOn}，{TASK_STATE_LABEL[task.state]}{task.overdue ? '（已逾期）' : ''}{task.doneNote ? `；${task.doneNote}（${day(task.doneAt)}）` : ''}</p>
        ) : mayTask && item.score !== null && item.score < item.full && item.finding ? <NewTask reviewId={reviewId} item={item} onDone={onTask} /> : null}
      </div>
    </div>
  );
}

/** 下发整改: for an item that lost marks with a finding (saved). */
function NewTask({ reviewId, item, onDone }: { reviewId: number; item: ReviewItemV1; onDone: () => void }) {
  const [title, setTitle] = useState(item.finding ? `整改：${item.finding}` : '');
  const [dueOn, setDueOn] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.post(`/api/v1/reviews/${reviewId}/tasks`, { itemCode: item.code, title, dueOn });
      onDone();
    } catch (err) {
      setErrors(formErrors(err, ['title', 'dueOn']));
    }
  }
  return (
    <form onSubmit={submit} className={`${styles.form} ${sheet.noPrint}`} aria-label={`${item.name} 下发整改`}>
      <input className={styles.input} aria-label="整改要求" value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={Boolean(errors.fields.title)} />
      <input className={styles.input} type="date" aria-label="整改期限" value={dueOn} onChange={(e) => setDueOn(e.target.value)} aria-invalid={Boolean(errors.fields.dueOn)} />
      <button type="submit" className={styles.button}>下发整改</button>
      {(errors.fields.title || errors.fields.dueOn || errors.message) && <span className={styles.fieldError}>{errors.fields.title ?? errors.fields.dueOn ?? errors.message}</span>}
    </form>
  );
}
