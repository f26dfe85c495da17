'use client';

import type { CSSProperties } from 'react';
import type { LiveIncident } from '@/app/live/incidents';
import { cardOf } from '@/app/live/incidents';
import { formatHourMinute } from '@/app/live/time';
import { css, SEVERITY_RGB } from './palette';
import Panel from './Panel';
import styles from './wall.module.css';

/** More rows than the tallest wall shows; the panel clips the rest. */
const ROWS = 40;
/** An incident this fresh is marked as just in. */
const FRESH_MS = 2 * 60_000;

type Props = {
  incidents: readonly LiveIncident[];
  now: number;
  gridNames: ReadonlyMap<string, string>;
  onSelect: (incidentId: number) => void;
};

/** 最新事件: the newest incidents first — time, category, title, grid. A row opens the incident's card. */
export default function FeedPanel({ incidents, now, gridNames, onSelect }: Props) {
  return (
    <Panel title="最新事件" className={styles.grow}>
      {incidents.length > 0 && (
        <ol className={styles.feed} data-testid="feed">
          {incidents.slice(0, ROWS).map((i) => (
            <li
              key={i.id}
              data-fresh={now - i.reportedMs < FRESH_MS}
              data-card={cardOf(i, now)}
              style={{ '--severity': css(SEVERITY_RGB[i.severity]) } as CSSProperties}
            >
              <button type="button" onClick={() => onSelect(i.id)}>
                <time dateTime={i.reportedAt}>{formatHourMinute(i.reportedMs)}</time>
                <span className={styles.category}>{i.categoryLabel}</span>
                <span className={styles.feedTitle}>{i.title}</span>
                <span className={styles.grid}>{(i.gridCode && gridNames.get(i.gridCode)) ?? i.gridCode ?? '—'}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
