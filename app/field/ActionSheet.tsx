'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { EVENT_ACTION_LABEL, type EventDetail } from '@/lib/contracts/events';
import { RULES, type EventAction } from '@/lib/events/machine';
import { newKey } from './keys';
import type { Outbox } from './outboxRunner';
import { deletePhoto } from './photoStore';
import PhotoPicker, { photosReady, releasePhotos, type PickedPhoto } from './PhotoPicker';
import s from './field.module.css';

/** The steps a person in the field takes; routing and merging are the console's. */
export const FIELD_ACTIONS = ['start', 'handle', 'verify_pass', 'verify_fail', 'answer'] as const satisfies readonly EventAction[];
export type FieldAction = (typeof FIELD_ACTIONS)[number];

const WITH_PHOTOS: readonly FieldAction[] = ['handle', 'verify_pass', 'verify_fail'];

const NOTE_LABEL: Record<FieldAction, string> = {
  start: '备注',
  handle: '处置情况',
  verify_pass: '核查情况',
  verify_fail: '不通过原因',
  answer: '答复内容',
};

const NOTE_HINT: Record<FieldAction, string> = {
  start: '选填，如预计到场时间',
  handle: '现场如何处置、结果如何',
  verify_pass: '选填，现场核查所见',
  verify_fail: '哪里没有处置到位',
  // A grid leader or a mediator may answer a resident's question from the phone (issue 14).
  answer: '答复将原文显示在群众的查询页面上',
};

export type SheetResult = { kind: 'done'; detail: EventDetail | null } | { kind: 'queued' };

function looksLikeDetail(body: unknown): body is EventDetail {
  return typeof body === 'object' && body !== null && 'id' in body && Array.isArray((body as { actions?: unknown }).actions);
}

/**
 * One step on an event, confirmed in a bottom sheet: a note (the reason, where the rules need one),
 * photos for feedback and checks. The request key is made when the sheet opens — one intent — and
 * goes with every retry of it, so a tap that timed out cannot count twice.
 */
export default function ActionSheet({
  event,
  action,
  outbox,
  onClose,
  onResult,
  onConflict,
}: {
  event: Pick<EventDetail, 'id' | 'title'>;
  action: FieldAction;
  outbox: Outbox;
  onClose: () => void;
  onResult: (r: SheetResult) => void;
  onConflict: () => void;
}) {
  const [requestKey] = useState(newKey);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsNote = RULES[action].needsNote === true;
  const label = EVENT_ACTION_LABEL[action];

  /** Backing out drops the photos taken for this step: nothing will ever send them. */
  function cancel() {
    if (busy) return;
    releasePhotos(photos);
    for (const p of photos) void deletePhoto(p.local);
    onClose();
  }
  const cancelEvent = useEffectEvent(cancel);

  // Escape closes the sheet on a phone with a keyboard, as the backdrop does by tap.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && cancelEvent();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function confirm() {
    if (needsNote && !note.trim()) return setError(`请填写${NOTE_LABEL[action]}`);
    const ready = photosReady(photos);
    if ('problem' in ready) return setError(ready.problem);
    setBusy(true);
    setError(null);
    const { id, outcome } = await outbox.submit({
      kind: 'action',
      eventId: event.id,
      body: { action, requestKey, ...(note.trim() ? { note: note.trim() } : {}) },
      photos: WITH_PHOTOS.includes(action) ? ready.refs : [],
      summary: `${label} · #${event.id} ${event.title}`,
    });
    setBusy(false);
    if (outcome.kind === 'ok') {
      releasePhotos(photos);
      return onResult({ kind: 'done', detail: looksLikeDetail(outcome.body) ? outcome.body : null });
    }
    if (outcome.kind === 'retry') {
      // The outbox holds the photos now; only the thumbnails go.
      releasePhotos(photos);
      return onResult({ kind: 'queued' });
    }
    // Refused: the user is here to read why; nothing is left queued behind their back.
    outbox.drop(id);
    setError(outcome.issues.length ? outcome.issues.map((i) => i.message).join('；') : outcome.message);
    if (outcome.status === 409) onConflict();
  }

  return (
    <div className={s.backdrop} onClick={cancel} role="presentation">
      <div
        className={s.sheet}
        role="dialog"
        aria-modal="true"
        aria-labelledby="action-sheet-title"
        data-testid="action-sheet"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="action-sheet-title" className={s.sheetTitle}>
          {label} · #{event.id}
        </h2>
        <p className={s.hint}>{event.title}</p>
        <label className={s.field}>
          <span className={`${s.label} ${needsNote ? s.required : ''}`}>{NOTE_LABEL[action]}</span>
          <textarea
            className={s.textarea}
            data-testid="note"
            value={note}
            maxLength={2000}
            placeholder={NOTE_HINT[action]}
            onChange={(e) => {
              setNote(e.target.value);
              setError(null);
            }}
          />
        </label>
        {WITH_PHOTOS.includes(action) && (
          <div className={s.field}>
            <span className={s.label}>现场照片</span>
            <PhotoPicker photos={photos} setPhotos={setPhotos} testId="action-photo" />
          </div>
        )}
        {error && (
          <p className={s.fieldError} role="alert" data-testid="action-error">
            {error}
          </p>
        )}
        <div className={s.sheetButtons}>
          <button type="button" className={s.btn} onClick={cancel} disabled={busy} data-testid="cancel">
            取消
          </button>
          <button
            type="button"
            className={`${s.btn} ${action === 'verify_fail' ? s.btnDanger : s.btnPrimary}`}
            onClick={confirm}
            disabled={busy}
            data-testid="confirm"
          >
            {busy ? '提交中…' : `确认${label}`}
          </button>
        </div>
      </div>
    </div>
  );
}
