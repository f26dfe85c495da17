'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { PLACEMENT_LABEL, type EventDetail, type EventReceiptV1 } from '@/lib/contracts/events';
import { call } from './api';
import { formatDateTime } from './format';
import { newKey } from './keys';
import LocationField from './LocationField';
import type { Outbox } from './outboxRunner';
import PhotoPicker, { photosReady, releasePhotos, type PickedPhoto } from './PhotoPicker';
import { buildReport, checkReport, EMPTY_DRAFT, fieldErrors, type ReportDraft, type ReportField } from './report';
import { CategoryList } from './schemas';
import { useCachedLoad } from './useCachedLoad';
import s from './field.module.css';

type Result = { kind: 'receipt'; receipt: EventReceiptV1 } | { kind: 'queued' };

function isReceipt(body: unknown): body is EventReceiptV1 {
  return typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'number';
}

/** The receipt, with the place's names fetched once (the receipt itself carries only codes). */
function Receipt({ receipt, onOpen, onAgain }: { receipt: EventReceiptV1; onOpen: () => void; onAgain: () => void }) {
  const [names, setNames] = useState<Pick<EventDetail, 'gridName' | 'villageName' | 'townName'> | null>(null);
  useEffect(() => {
    let live = true;
    void call('GET', `/api/v1/events/${receipt.id}`).then((out) => {
      if (live && out.kind === 'ok') setNames(out.body as EventDetail);
    });
    return () => {
      live = false;
    };
  }, [receipt.id]);

  const where = receipt.placement === 'point' ? names?.gridName ?? receipt.gridCode : names?.villageName ?? receipt.villageCode;
  return (
    <div className={s.receipt} data-testid="report-receipt" role="status">
      <span className={s.hint}>{receipt.created ? '上报成功' : '此上报已记录过（重复提交）'}</span>
      <p className={s.receiptNo}>#{receipt.id}</p>
      <dl className={s.facts}>
        <dt>落位</dt>
        <dd data-testid="receipt-placement">
          {receipt.placement === 'point' ? '网格' : PLACEMENT_LABEL[receipt.placement]}
          {where && ` · ${where}`}
        </dd>
        {names?.townName && (
          <>
            <dt>镇街</dt>
            <dd>{names.townName}</dd>
          </>
        )}
        {receipt.deadlineAt && (
          <>
            <dt>受理时限</dt>
            <dd>{formatDateTime(receipt.deadlineAt)}</dd>
          </>
        )}
      </dl>
      {receipt.duplicateOf !== null && (
        <div className={s.dup} data-testid="receipt-duplicate">
          疑似重复：附近 100 米内 24 小时内已有同类事件 #{receipt.duplicateOf}，指挥台将核对合并。
        </div>
      )}
      <div className={s.row}>
        <button type="button" className={s.btn} onClick={onOpen}>
          查看详情
        </button>
        <button type="button" className={`${s.btn} ${s.btnPrimary}`} onClick={onAgain} data-testid="report-again">
          继续上报
        </button>
      </div>
    </div>
  );
}

/**
 * 上报: what was found (S3, S12 "everything found enters the system"). The idempotency key is
 * made with the form and kept by the outbox across retries, so a report sent into a dead cell and
 * retried later is still one event.
 */
export default function ReportForm({
  outbox,
  pending,
  onOpenTask,
  onReported,
}: {
  outbox: Outbox;
  pending: number;
  onOpenTask: (id: number) => void;
  onReported: () => void;
}) {
  const categories = useCachedLoad('liandong.field.categories.v1', '/api/v1/categories', CategoryList);
  const [draft, setDraft] = useState<ReportDraft>(EMPTY_DRAFT);
  const [key, setKey] = useState(newKey);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [errors, setErrors] = useState<Partial<Record<ReportField, string>>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const category = categories.data?.find((c) => c.code === draft.category) ?? null;
  /** Editing a field takes its complaint away; the rest stay until the next submit. */
  const set = (change: Partial<ReportDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(change)) delete next[k === 'villageCode' ? 'location' : (k as ReportField)];
      delete next.form;
      return next;
    });
  };

  function again() {
    releasePhotos(photos);
    setDraft(EMPTY_DRAFT);
    setPhotos([]);
    setErrors({});
    setKey(newKey());
    setResult(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = buildReport(draft, key);
    const issues = checkReport(body);
    const ready = photosReady(photos);
    const found = fieldErrors(issues);
    if ('problem' in ready) found.photos = ready.problem;
    setErrors(found);
    if (Object.keys(found).length || 'problem' in ready) return;

    setBusy(true);
    const summary = `上报 · ${draft.title.trim()}`;
    const { id, outcome } = await outbox.submit({ kind: 'report', body, photos: ready.refs, summary });
    setBusy(false);
    if (outcome.kind === 'ok' && isReceipt(outcome.body)) {
      setResult({ kind: 'receipt', receipt: outcome.body });
      onReported();
    } else if (outcome.kind === 'retry') {
      setResult({ kind: 'queued' });
    } else if (outcome.kind === 'fail') {
      outbox.drop(id);
      const byField = fieldErrors(outcome.issues);
      setErrors(Object.keys(byField).length ? byField : { form: outcome.message });
    }
  }

  if (result?.kind === 'receipt')
    return (
      <div className={s.page}>
        <Receipt receipt={result.receipt} onOpen={() => onOpenTask(result.receipt.id)} onAgain={again} />
      </div>
    );
  if (result?.kind === 'queued')
    return (
      <div className={s.page}>
        <div className={s.receipt} data-testid="report-queued" role="status">
          <p className={s.sectionTitle}>网络不佳，上报已保存在本机</p>
          <p className={s.hint}>网络恢复后自动发送，送达后在“通知”里告诉您事件编号。当前待发送 {pending} 条。</p>
          <button type="button" className={`${s.btn} ${s.btnPrimary}`} onClick={again} data-testid="report-again">
            继续上报
          </button>
        </div>
      </div>
    );

  return (
    <form className={s.page} onSubmit={submit} noValidate>
      {categories.error && !categories.data && (
        <div className={`${s.banner} ${s.bannerError}`}>
          事件类别加载失败（{categories.error}）
          <button type="button" className={s.linkButton} onClick={categories.reload}>
            重试
          </button>
        </div>
      )}
      <label className={s.field}>
        <span className={`${s.label} ${s.required}`}>类别</span>
        <select
          className={s.select}
          value={draft.category}
          onChange={(e) => set({ category: e.target.value, subcategory: '' })}
          data-testid="report-category"
        >
          <option value="">请选择</option>
          {categories.data?.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        {errors.category && <p className={s.fieldError}>{errors.category}</p>}
      </label>
      <label className={s.field}>
        <span className={s.label}>子类</span>
        <select
          className={s.select}
          value={draft.subcategory}
          onChange={(e) => set({ subcategory: e.target.value })}
          disabled={!category || category.subcategories.length === 0}
          data-testid="report-subcategory"
        >
          <option value="">{category && category.subcategories.length === 0 ? '（无子类）' : '不细分'}</option>
          {category?.subcategories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        {errors.subcategory && <p className={s.fieldError}>{errors.subcategory}</p>}
      </label>
      <label className={s.field}>
        <span className={`${s.label} ${s.required}`}>标题</span>
        <input
          className={s.input}
          value={draft.title}
          maxLength={200}
          placeholder="如：某路口消防通道被占用"
          onChange={(e) => set({ title: e.target.value })}
          data-testid="report-title"
        />
        {errors.title && <p className={s.fieldError} data-testid="error-title">{errors.title}</p>}
      </label>
      <label className={s.field}>
        <span className={s.label}>描述</span>
        <textarea
          className={s.textarea}
          value={draft.description}
          maxLength={5000}
          placeholder="现场情况、涉及人员、已采取的措施"
          onChange={(e) => set({ description: e.target.value })}
          data-testid="report-description"
        />
        {errors.description && <p className={s.fieldError}>{errors.description}</p>}
      </label>
      <LocationField
        location={draft.location}
        villageCode={draft.villageCode}
        error={errors.location}
        onLocation={(location) => set({ location })}
        onVillage={(villageCode) => set({ villageCode })}
      />
      <div className={s.field}>
        <span className={s.label}>照片</span>
        <PhotoPicker photos={photos} setPhotos={setPhotos} testId="report-photo" />
        {errors.photos && <p className={s.fieldError}>{errors.photos}</p>}
      </div>
      {errors.form && (
        <p className={s.fieldError} role="alert" data-testid="report-error">
          {errors.form}
        </p>
      )}
      <button type="submit" className={`${s.btn} ${s.btnPrimary}`} disabled={busy} data-testid="report-submit">
        {busy ? '提交中…' : '提交上报'}
      </button>
    </form>
  );
}
