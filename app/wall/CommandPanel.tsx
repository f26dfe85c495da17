'use client';

import { DISPATCH_STATE_LABEL } from '@/lib/command/dispatch';
import { INVITE_RESPONSE_LABEL, type ConsultationV1, type DispatchV1 } from '@/lib/contracts/command';
import { UNIT_KIND_LABEL, type UnitKind } from '@/lib/units';
import type { CommandView } from '@/app/live/command';
import { arrivalText, elapsed } from '@/app/map/command/eta';
import { useSecond } from '@/app/map/command/useSecond';
import Panel from './Panel';
import styles from './wall.module.css';

const MAX_CONSULTATIONS = 2;
const MAX_DISPATCHES = 8;
const joined = (c: ConsultationV1) => c.invitees.filter((i) => i.response === 'accepted' || i.response === 'attended');
const dueFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * 会商与处置: the emergency consultations under way — who has joined, how long, what was decided —
 * and every unit on a joint dispatch with its step and ETA countdown (S11, S12).
 */
export default function CommandPanel({ view, serverNow }: { view: CommandView; serverNow: () => number }) {
  // A wall does not scroll: the open consultations first, and the units on their way before those done.
  const consultations = view.consultations.filter((c) => c.kind === 'emergency').slice(0, MAX_CONSULTATIONS);
  const dispatches = view.dispatches.slice(0, MAX_DISPATCHES);
  const now = useSecond(consultations.length + dispatches.length > 0) || serverNow();
  const empty = consultations.length === 0 && dispatches.length === 0;
  return (
    <Panel title="会商与联动处置" className={styles.grow}>
      {view.keyPeriods.map((k) => (
        <p key={k.id} className={styles.keyPeriod} data-testid="wall-key-period">
          重点时段 · {k.name}（{k.startsOn.slice(5)} 至 {k.endsOn.slice(5)}）加密巡查
        </p>
      ))}
      {empty && view.loaded ? <p className={styles.empty}>暂无进行中的会商与处置</p> : (
        <div className={styles.command}>
          {consultations.map((c) => <Consultation key={c.id} c={c} now={now} />)}
          {dispatches.length > 0 && (
            <ul className={styles.dispatches} aria-label="联动处置">
              {dispatches.map((d) => <Dispatch key={d.id} d={d} now={now} />)}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
}

function Consultation({ c, now }: { c: ConsultationV1; now: number }) {
  const present = joined(c);
  const people = c.invitees.filter((i) => i.role !== 'department' && i.role !== 'public');
  return (
    <article className={styles.consultation} data-testid={`wall-consultation-${c.id}`} data-state={c.state}>
      <header>
        <b>{c.title}</b>
        <span>{c.state === 'open' ? `已进行 ${elapsed(c.startedAt ?? c.scheduledAt ?? new Date(now).toISOString(), now)}` : '已结束'}</span>
      </header>
      <p className={styles.attendance} data-testid="wall-attendance">
        到会 <b>{present.length}</b> / {people.length}
      </p>
      <ul className={styles.attendees}>
        {people.map((i) => (
          <li key={i.id} data-response={i.response} data-testid="wall-attendee" title={INVITE_RESPONSE_LABEL[i.response]}>
            {i.name}
          </li>
        ))}
      </ul>
      {c.decisions.length > 0 && (
        <ol className={styles.decisions} data-testid="wall-decisions">
          {c.decisions.map((d) => (
            <li key={d.id}>
              {d.text}<span>{d.owner} · {dueFormat.format(new Date(d.dueAt))}前</span>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

function Dispatch({ d, now }: { d: DispatchV1; now: number }) {
  const flagged = d.flaggedAt !== null && d.state === 'dispatched';
  return (
    <li className={styles.dispatch} data-state={d.state} data-flagged={flagged} data-testid={`wall-dispatch-${d.id}`}>
      <span className={styles.dispatchUnit}>{d.unitName}<small>{UNIT_KIND_LABEL[d.unitKind as UnitKind] ?? d.unitKind}</small></span>
      <span className={styles.dispatchState} data-testid="wall-dispatch-state">{flagged ? '未确认' : DISPATCH_STATE_LABEL[d.state]}</span>
      <span className={styles.dispatchEta}>{arrivalText(d, now)}</span>
      <span className={styles.dispatchEvent}>→ {d.eventTitle}</span>
    </li>
  );
}
