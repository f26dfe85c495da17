'use client';

import { useState } from 'react';
import Link from 'next/link';
import type { KpiCode, KpiEventsV1, KpiValue } from '@/lib/contracts/kpi';
import { KPIS } from '@/lib/analytics/kpis';
import { EVENT_STATE_LABEL, type EventState } from '@/lib/events/machine';
import { http } from '@/app/http';
import { formatDateTime } from '@/app/live/time';
import type { KpiFeed } from './useKpiFeed';
import styles from './cockpit.module.css';

type Part = 'numerator' | 'denominator';

type Props = {
  kpi: KpiCode;
  part: Part;
  /** The tile's figure, to say what the list stands for. */
  value: KpiValue | null;
  /** Page 0, kept current by the live feed. */
  feed: KpiFeed<KpiEventsV1>;
  /** The page-0 path; later pages add `offset`. */
  path: string;
  /** Whether an event opens in the console (the viewer has one). */
  linkToConsole: boolean;
  onPart: (part: Part) => void;
  onClose: () => void;
};

const stateLabel = (s: string) => EVENT_STATE_LABEL[s as EventState] ?? s;

/** The events behind a figure (issue 13: every figure on screen can be traced to its events). */
export default function EventsList({ kpi, part, value, feed, path, linkToConsole, onPart, onClose }: Props) {
  const def = KPIS[kpi];
  const first = feed.dataPath === path ? feed.data : null;
  // Pages past the first, fetched on request for this path only.
  const [more, setMore] = useState<{ path: string; events: KpiEventsV1['events'] }>({ path, events: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more.path === path ? more.events : [];
  const events = first ? [...first.events, ...extra] : [];
  const total = first?.total ?? null;

  async function loadMore() {
    setLoadingMore(true);
    try {
      const page = await http.get<KpiEventsV1>(`${path}&offset=${events.length}`);
      setMore((m) => ({ path, events: [...(m.path === path ? m.events : []), ...page.events] }));
    } catch {
      // The button stays; the user may try again.
    } finally {
      setLoadingMore(false);
    }
  }

  const hasDenominator = def.events === 'both';
  const partLabel = part === 'numerator' ? (hasDenominator ? '分子：计入的事件' : '计入的事件') : '分母：统计范围内的事件';
  const expected = value ? (part === 'numerator' ? value.numerator : value.denominator) : null;
  const duration = def.unit === 'hours';

  return (
    <section className={styles.drill} aria-label={`${def.name}的事件`} data-testid="kpi-events" data-kpi={kpi} data-part={part}>
      <header className={styles.drillHeader}>
        <h2>
          {def.name} · {partLabel}
          {total !== null && <span data-testid="kpi-events-total" data-total={total}> 共 {total.toLocaleString('zh-CN')} 件</span>}
        </h2>
        {hasDenominator && (
          <div className={styles.segmented} role="group" aria-label="分子或分母">
            <button type="button" aria-pressed={part === 'numerator'} onClick={() => onPart('numerator')} data-testid="part-numerator">分子</button>
            <button type="button" aria-pressed={part === 'denominator'} onClick={() => onPart('denominator')} data-testid="part-denominator">分母</button>
          </div>
        )}
        <button type="button" className={styles.close} onClick={onClose} aria-label="关闭事件列表">×</button>
      </header>
      <p className={styles.drillNote}>口径：{def.definition}</p>
      {expected !== null && total !== null && expected !== total && (
        <p className={styles.warn}>列表在指标计算之后有变化，正在刷新…</p>
      )}
      {feed.error && <p className={styles.warn}>{feed.error}</p>}
      {!first ? (
        <p className={styles.empty}>{feed.error ? '' : '加载中…'}</p>
      ) : events.length === 0 ? (
        <p className={styles.empty}>没有事件</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} data-testid="kpi-events-table">
            <thead>
              <tr>
                <th scope="col">编号</th>
                <th scope="col">标题</th>
                <th scope="col">类别</th>
                <th scope="col">状态</th>
                <th scope="col">上报时间</th>
                <th scope="col">网格</th>
                {duration && <th scope="col">用时（小时）</th>}
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="kpi-event-row" data-event-id={e.id}>
                  <td>{linkToConsole ? <Link href={`/console?event=${e.id}`}>#{e.id}</Link> : `#${e.id}`}</td>
                  <td>{e.title}</td>
                  <td>{e.categoryLabel}</td>
                  <td>{stateLabel(e.state)}</td>
                  <td>{formatDateTime(Date.parse(e.reportedAt))}</td>
                  <td>{e.gridCode ?? '—'}</td>
                  {duration && <td className={styles.num}>{e.hours === null ? '—' : e.hours.toFixed(1)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total !== null && events.length < total && (
        <button type="button" className={styles.more} onClick={loadMore} disabled={loadingMore} data-testid="kpi-events-more">
          {loadingMore ? '加载中…' : `再显示一页（已显示 ${events.length} / ${total}）`}
        </button>
      )}
    </section>
  );
}
