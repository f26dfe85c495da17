'use client';

import type { EventLogStep } from '@/lib/contracts/events';
import { formatDateTime } from '@/app/live/time';
import { actionLabel, roleLabel, stateLabel, stepDetails } from './timeline';
import styles from './console.module.css';

type Props = { log: readonly EventLogStep[]; departmentName: (code: string) => string };

/** The event's steps as recorded (append-only), oldest first: who did what, from which state to which, and why. */
export default function Timeline({ log, departmentName }: Props) {
  if (log.length === 0) return <p className={styles.muted}>暂无记录</p>;
  return (
    <ol className={styles.timeline} data-testid="timeline">
      {log.map((step, k) => {
        const role = roleLabel(step.actorRole);
        // A report starts from nothing; a supervision step or a sub-task leaves the state as it was.
        const states = step.from === null ? `→ ${stateLabel(step.to)}` : step.from !== step.to ? `${stateLabel(step.from)} → ${stateLabel(step.to)}` : `（${stateLabel(step.to)}）`;
        return (
          <li key={k} data-testid="timeline-step" data-action={step.action ?? ''} data-supervise={step.action === 'supervise'}>
            <div className={styles.stepHead}>
              <time dateTime={step.at}>{formatDateTime(Date.parse(step.at))}</time>
              <b>{actionLabel(step.action)}</b>
              <span className={styles.muted}>
                {states}
              </span>
            </div>
            <div className={styles.stepWho}>
              {step.actorName ?? (role || '系统')}
              {role && step.actorName ? `（${role}）` : ''}
            </div>
            {stepDetails(step.data, departmentName).map((d) => <div key={d} className={styles.stepData}>{d}</div>)}
            {step.note && <p className={styles.stepNote}>{step.note}</p>}
          </li>
        );
      })}
    </ol>
  );
}
