'use client';

import { useMemo, useState } from 'react';
import { DISPATCH_STATE_LABEL } from '@/lib/command/dispatch';
import { formatEta } from '@/lib/command/nearest';
import type { DispatchProposalV1, DispatchV1 } from '@/lib/contracts/command';
import { UNIT_KIND_LABEL, type UnitKind } from '@/lib/units';
import { arrivalText } from '@/app/map/command/eta';
import { newRequestKey } from '../actions';
import { postJson } from '../api';
import styles from './command.module.css';

const kindLabel = (k: string) => UNIT_KIND_LABEL[k as UnitKind] ?? k;

/**
 * 联动处置 (S12): for each force the event's joint-handling rule names, the nearest available units
 * with distance and ETA; the first of each is ticked, and one click dispatches what is ticked.
 */
export default function DispatchPanel({ eventId, proposal, error, dispatches, now }: {
  eventId: number;
  proposal: DispatchProposalV1 | null;
  error: string | null;
  dispatches: readonly DispatchV1[];
  now: number;
}) {
  const firsts = useMemo(() => new Set(proposal?.forces.flatMap((f) => (f.candidates[0] ? [f.candidates[0].unitId] : [])) ?? []), [proposal]);
  const [picked, setPicked] = useState<Set<number> | null>(null);
  const chosen = picked ?? firsts;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function send(url: string, body: Record<string, unknown>) {
    setBusy(true);
    setProblem(null);
    const r = await postJson(url, { ...body, requestKey: newRequestKey() });
    setBusy(false);
    if (!r.ok) setProblem(r.message);
    else setPicked(null);
  }

  const toggle = (id: number) => setPicked(() => {
    const next = new Set(chosen);
    if (!next.delete(id)) next.add(id);
    return next;
  });

  return (
    <section className={styles.box} data-testid="dispatch-panel">
      <h4>联动处置</h4>
      {dispatches.length > 0 && (
        <ul className={styles.dispatches}>
          {dispatches.map((d) => {
            const flagged = d.flaggedAt !== null && d.state === 'dispatched';
            const active = d.state !== 'cleared' && d.state !== 'cancelled';
            return (
              <li key={d.id} data-state={d.state} data-flagged={flagged} data-testid={`dispatch-${d.id}`}>
                <span>{d.unitName}<small>{kindLabel(d.unitKind)}</small></span>
                <b data-testid="dispatch-state">{flagged ? '超时未确认' : DISPATCH_STATE_LABEL[d.state]}</b>
                <span className={styles.eta}>{arrivalText(d, now)}</span>
                {flagged && d.replacement && (
                  <button type="button" disabled={busy} data-testid={`reassign-${d.id}`}
                    onClick={() => void send(`/api/v1/dispatches/${d.id}/reassign`, { unitId: d.replacement!.unitId })}>
                    改派 {d.replacement.name}（{formatEta(d.replacement.distanceM, d.replacement.etaS)}）
                  </button>
                )}
                {active && (
                  <button type="button" className={styles.quiet} disabled={busy} onClick={() => void send(`/api/v1/dispatches/${d.id}/steps`, { step: 'cancel' })}>
                    取消
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {error && <p className={styles.error}>{error}</p>}
      {proposal && (
        <>
          {proposal.forces.map((f) => (
            <fieldset key={f.force} className={styles.force}>
              <legend>{f.label}</legend>
              {f.candidates.length === 0 && <p className={styles.muted}>暂无可派单位</p>}
              {f.candidates.map((c) => (
                <label key={c.unitId} data-testid={`candidate-${c.unitId}`}>
                  <input type="checkbox" checked={chosen.has(c.unitId)} onChange={() => toggle(c.unitId)} />
                  <span>{c.name}<small>{kindLabel(c.kind)}{c.live ? '' : ' · 驻地'}</small></span>
                  <span className={styles.eta}>{formatEta(c.distanceM, c.etaS)}</span>
                </label>
              ))}
            </fieldset>
          ))}
          <p className={styles.note}>距离按直线×{proposal.detourFactor}估算，到达时间按单位类型平均速度计算，仅供参考。</p>
          <button type="button" className={styles.primary} disabled={busy || chosen.size === 0} data-testid="dispatch-send"
            onClick={() => void send('/api/v1/dispatches', { eventId, unitIds: [...chosen] })}>
            一键派遣（{chosen.size}）
          </button>
        </>
      )}
      {problem && <p className={styles.error} role="alert">{problem}</p>}
    </section>
  );
}
