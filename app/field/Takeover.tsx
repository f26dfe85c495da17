'use client';

import { useState } from 'react';
import { DISPATCH_STATE_LABEL, DISPATCH_STEP_LABEL, nextStepOf, type DispatchState, type DispatchStep } from '@/lib/command/dispatch';
import { formatEta } from '@/lib/command/nearest';
import { CONSULTATION_KIND_LABEL } from '@/lib/contracts/command';
import type { Call } from './commandFeed';
import { newKey } from './keys';
import type { Outbox } from './outboxRunner';
import s from './takeover.module.css';

const AFTER: Record<Exclude<DispatchStep, 'cancel'>, DispatchState> = { acknowledge: 'acknowledged', depart: 'en_route', arrive: 'on_scene', clear: 'cleared' };

/**
 * A dispatch or an invitation takes over the phone (issue 5 §6): one card filling the screen, the
 * answer as big buttons in the thumb's half. A dispatch already acknowledged folds to a bar with
 * its next step, so the phone stays usable on the way. Answers go through the outbox: queued
 * when there is no signal, retried with the same request key, never sent twice.
 */
export default function Takeover({ calls, outbox, onStep, onAnswer }: {
  calls: readonly Call[];
  outbox: Outbox;
  onStep: (dispatchId: number, to: DispatchState) => void;
  onAnswer: (consultationId: number) => void;
}) {
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const call = calls[0];
  if (!call) return null;

  function step(dispatchId: number, stepName: Exclude<DispatchStep, 'cancel'>, title: string) {
    void outbox.submit({
      kind: 'command', url: `/api/v1/dispatches/${dispatchId}/steps`, body: { step: stepName, requestKey: newKey() }, photos: [],
      summary: `${DISPATCH_STEP_LABEL[stepName]} · ${title}`,
    });
    onStep(dispatchId, AFTER[stepName]);
  }
  function answer(consultationId: number, accept: boolean, title: string) {
    void outbox.submit({
      kind: 'command', url: `/api/v1/consultations/${consultationId}/reply`, body: { accept, requestKey: newKey() }, photos: [],
      summary: `${accept ? '接受' : '谢绝'}会商邀请 · ${title}`,
    });
    onAnswer(consultationId);
  }

  if (call.kind === 'invitation') {
    const c = call.consultation;
    return (
      <div className={s.takeover} role="alertdialog" aria-label="会商邀请" data-testid="takeover" data-kind="invitation" data-consultation-id={c.id}>
        <p className={s.kicker}>{CONSULTATION_KIND_LABEL[c.kind]}邀请</p>
        <h2 className={s.title}>{c.title}</h2>
        <p className={s.meta}>召集人：{c.calledBy ?? '—'}{c.events.length ? ` · 涉及事件 ${c.events.map((e) => `#${e.id}`).join('、')}` : ''}</p>
        <div className={s.buttons}>
          <button type="button" className={s.secondary} onClick={() => answer(c.id, false, c.title)} data-testid="takeover-decline">谢绝</button>
          <button type="button" className={s.primary} onClick={() => answer(c.id, true, c.title)} data-testid="takeover-accept">接受并加入</button>
        </div>
      </div>
    );
  }

  const d = call.dispatch;
  const next = nextStepOf(d.state);
  if (folded.has(call.key) && d.state !== 'dispatched')
    return (
      <div className={s.bar} data-testid="takeover-bar" data-state={d.state}>
        <button type="button" className={s.barTitle} onClick={() => setFolded(new Set())}>{DISPATCH_STATE_LABEL[d.state]} · {d.eventTitle}</button>
        {next && <button type="button" className={s.primary} onClick={() => step(d.id, next, d.eventTitle)} data-testid={`dispatch-step-${next}`}>{DISPATCH_STEP_LABEL[next]}</button>}
      </div>
    );
  return (
    <div className={s.takeover} role="alertdialog" aria-label="联动处置任务" data-testid="takeover" data-kind="dispatch" data-dispatch-id={d.id} data-state={d.state}>
      <p className={s.kicker}>联动处置任务 · {DISPATCH_STATE_LABEL[d.state]}</p>
      <h2 className={s.title}>{d.eventTitle}</h2>
      <p className={s.meta}>派遣人：{d.createdBy}{d.distanceM !== null && d.etaS !== null ? ` · ${formatEta(d.distanceM, d.etaS)}（直线估算）` : ''}</p>
      <p className={s.meta}>事件 #{d.eventId}</p>
      <div className={s.buttons}>
        {d.state !== 'dispatched' && (
          <button type="button" className={s.secondary} onClick={() => setFolded(new Set([call.key]))} data-testid="takeover-fold">收起</button>
        )}
        {next && (
          <button type="button" className={s.primary} onClick={() => step(d.id, next, d.eventTitle)} data-testid={`dispatch-step-${next}`}>
            {DISPATCH_STEP_LABEL[next]}
          </button>
        )}
      </div>
    </div>
  );
}
