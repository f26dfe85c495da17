'use client';

import type { CSSProperties } from 'react';
import { cardOf, type LiveIncident } from '@/app/live/incidents';
import { CARD_LABEL, SOURCE_LABEL } from '@/lib/contracts/events';
import { formatDateTime } from '@/app/live/time';
import { EVENT_STATE_LABEL } from '@/lib/events/machine';
import { css, SEVERITY_LABEL, SEVERITY_RGB } from './palette';
import { useCardDismiss } from './useCardDismiss';
import styles from './wall.module.css';

type Props = { incident: LiveIncident; gridName: string | null; now: number; onClose: () => void };

/** One incident: what, how grave, where in the closed loop it is and whether its deadline has passed. */
export default function IncidentCard({ incident, gridName, now, onClose }: Props) {
  useCardDismiss(onClose, incident.id);
  const card = cardOf(incident, now);

  return (
    <aside
      className={`${styles.stationCard} ${styles.liveCard}`}
      style={{ '--card-accent': css(SEVERITY_RGB[incident.severity]) } as CSSProperties}
      aria-label={`${incident.title}详情`}
      data-testid="incident-card"
    >
      <header>
        <h2>{incident.title}</h2>
        <button type="button" onClick={onClose} aria-label="关闭">×</button>
      </header>
      <dl className={styles.facts}>
        <dt>类别</dt>
        <dd>{incident.categoryLabel}</dd>
        <dt>等级</dt>
        <dd>{SEVERITY_LABEL[incident.severity]}</dd>
        <dt>来源</dt>
        {/* A resident's name or phone never reaches the wall (issue 14): the source is all it says of who. */}
        <dd data-testid="incident-source">{(SOURCE_LABEL as Record<string, string>)[incident.source] ?? incident.source}</dd>
        <dt>状态</dt>
        <dd>{(EVENT_STATE_LABEL as Record<string, string>)[incident.state] ?? incident.state}</dd>
        <dt>上报时间</dt>
        <dd>{formatDateTime(incident.reportedMs)}</dd>
        <dt>办理时限</dt>
        <dd data-overdue={card !== 'none'} data-card={card}>
          {incident.deadlineMs === null ? '—' : formatDateTime(incident.deadlineMs)}
          {card !== 'none' ? `（已超期 · ${CARD_LABEL[card]}督办）` : ''}
        </dd>
        {incident.lockedBy && (
          <>
            <dt>处理人</dt>
            <dd>{incident.lockedBy} 正在处理</dd>
          </>
        )}
        <dt>所在网格</dt>
        <dd>{gridName ?? incident.gridCode ?? '—'}</dd>
        <dt>事件编号</dt>
        <dd className={styles.code}>{incident.id}</dd>
      </dl>
    </aside>
  );
}
