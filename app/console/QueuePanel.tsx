'use client';

import { memo, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { LiveIncident } from '@/app/live/incidents';
import { CARD_LABEL } from '@/lib/contracts/events';
import { EVENT_STATES } from '@/lib/events/machine';
import type { StationCollection } from '@/app/map/types';
import { countdown, countsOf, isCitizen, KIND_BADGE, overdueLevel, placeOf, visibleRange, type PlaceNames, type QueueFilter, type StateFilter } from './queue';
import { LockIcon } from './icons';
import { css, stateRgb } from './palette';
import { stateLabel } from './timeline';
import type { CategoryRef } from './useReference';
import styles from './console.module.css';

/** Every row is this tall, so the list can draw only what is on screen (5,000 rows stay fast). */
export const ROW_PX = 64;

type Props = {
  rows: readonly LiveIncident[];
  filter: QueueFilter;
  onFilter: (change: Partial<QueueFilter>) => void;
  categories: readonly CategoryRef[];
  stations: StationCollection | null;
  names: PlaceNames;
  now: number;
  selectedId: number | null;
  onSelect: (id: number) => void;
  loaded: boolean;
};

const STATE_OPTIONS: { value: StateFilter; label: string }[] = [
  { value: 'open', label: '待办（未结束）' },
  { value: 'all', label: '全部（含今日已结束）' },
  ...EVENT_STATES.map((s) => ({ value: s, label: stateLabel(s) })),
];

const SUFFIX = /社会治理联动工作站$/;

/** 事件队列: filters over the live incidents, and the rows, most urgent first. */
export default function QueuePanel(props: Props) {
  const { rows, filter, onFilter, categories, stations, names, now, selectedId, onSelect, loaded } = props;
  const counts = countsOf(rows, now);

  return (
    <section className={styles.queue} aria-label="事件队列">
      <div className={styles.queueHead}>
        <h2>事件队列</h2>
        <span className={styles.counts} data-testid="queue-count">
          共 {counts.total} 件
          {counts.red > 0 && <b data-card="red">红牌 {counts.red}</b>}
          {counts.yellow > 0 && <b data-card="yellow">黄牌/超时 {counts.yellow}</b>}
        </span>
      </div>
      <div className={styles.filters}>
        <input
          type="search"
          placeholder="搜索标题、编号、村社、处理人"
          value={filter.text}
          onChange={(e) => onFilter({ text: e.target.value })}
          data-testid="filter-text"
          aria-label="搜索"
        />
        <select value={filter.state} onChange={(e) => onFilter({ state: e.target.value as StateFilter })} data-testid="filter-state" aria-label="状态">
          {STATE_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
        <select value={filter.category ?? ''} onChange={(e) => onFilter({ category: e.target.value || null })} data-testid="filter-category" aria-label="类别">
          <option value="">全部类别</option>
          {categories.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
        </select>
        <select
          value={filter.stationId ?? ''}
          onChange={(e) => onFilter({ stationId: e.target.value ? Number(e.target.value) : null })}
          data-testid="filter-station"
          aria-label="工作站"
        >
          <option value="">全区</option>
          {(stations?.features ?? []).map((f) =>
            f.properties.id === undefined ? null : (
              <option key={f.properties.id} value={f.properties.id}>{f.properties.name.replace(SUFFIX, '') || f.properties.name}</option>
            ),
          )}
        </select>
        <label className={styles.check}>
          <input type="checkbox" checked={filter.overdueOnly} onChange={(e) => onFilter({ overdueOnly: e.target.checked })} data-testid="filter-overdue" />
          只看超时/督办
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={filter.citizenOnly} onChange={(e) => onFilter({ citizenOnly: e.target.checked })} data-testid="filter-citizen" />
          群众诉求
        </label>
        <div className={styles.sort} role="radiogroup" aria-label="排序">
          <button type="button" aria-pressed={filter.sort === 'deadline'} onClick={() => onFilter({ sort: 'deadline' })} data-testid="sort-deadline">按时限</button>
          <button type="button" aria-pressed={filter.sort === 'reported'} onClick={() => onFilter({ sort: 'reported' })} data-testid="sort-reported">按上报时间</button>
        </div>
      </div>
      <QueueList rows={rows} names={names} now={now} selectedId={selectedId} onSelect={onSelect} loaded={loaded} />
    </section>
  );
}

type ListProps = Pick<Props, 'rows' | 'names' | 'now' | 'selectedId' | 'onSelect' | 'loaded'>;

/** A windowed list: only the rows in view (and a few either side) are in the DOM. */
function QueueList({ rows, names, now, selectedId, onSelect, loaded }: ListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(800);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // A selection made on the map scrolls its row into view.
  const index = selectedId === null ? -1 : rows.findIndex((i) => i.id === selectedId);
  useEffect(() => {
    const el = ref.current;
    if (!el || index < 0) return;
    const top = index * ROW_PX;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_PX > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_PX - el.clientHeight;
  }, [index]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = Math.min(rows.length - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1)));
    if (rows[next]) onSelect(rows[next].id);
  };

  const [first, last] = visibleRange(scrollTop, height, ROW_PX, rows.length);
  return (
    <div
      ref={ref}
      className={styles.list}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      tabIndex={0}
      role="listbox"
      aria-label="事件列表"
      aria-activedescendant={index >= 0 ? `queue-${selectedId}` : undefined}
      data-testid="queue"
    >
      {rows.length === 0 ? (
        <p className={styles.empty}>{loaded ? '没有符合条件的事件' : '正在载入事件…'}</p>
      ) : (
        <div style={{ height: rows.length * ROW_PX, position: 'relative' }}>
          {rows.slice(first, last).map((i, k) => (
            <QueueRow key={i.id} incident={i} top={(first + k) * ROW_PX} names={names} now={now} selected={i.id === selectedId} onSelect={onSelect} />
          ))}
        </div>
      )}
    </div>
  );
}

type RowProps = { incident: LiveIncident; top: number; names: PlaceNames; now: number; selected: boolean; onSelect: (id: number) => void };

const QueueRow = memo(function QueueRow({ incident: i, top, names, now, selected, onSelect }: RowProps) {
  const level = overdueLevel(i, now);
  const left = countdown(i.deadlineMs, now);
  return (
    <div
      id={`queue-${i.id}`}
      role="option"
      aria-selected={selected}
      className={styles.row}
      style={{ top, height: ROW_PX, '--state': css(stateRgb(i.state)) } as CSSProperties}
      data-card={level}
      data-testid={`queue-row-${i.id}`}
      onClick={() => onSelect(i.id)}
    >
      <div className={styles.rowLine}>
        {level !== 'none' && <span className={styles.card} data-card={level} data-testid="row-card">{CARD_LABEL[level]}</span>}
        {isCitizen(i) && <span className={styles.citizenBadge} data-testid="row-citizen">群众</span>}
        {KIND_BADGE[i.kind] && <span className={styles.kindBadge} data-kind={i.kind} data-testid="row-kind">{KIND_BADGE[i.kind]}</span>}
        {i.supervisionReopened && <span className={styles.card} data-card="yellow" data-testid="row-reopened">投诉督办</span>}
        <span className={styles.rowTitle} title={i.title}>{i.title}</span>
        {left && (
          <span className={styles.countdown} data-overdue={left.overdue} data-testid="row-countdown">{left.text}</span>
        )}
      </div>
      <div className={styles.rowLine}>
        <span className={styles.state}>{stateLabel(i.state)}</span>
        <span className={styles.muted}>{i.categoryLabel}</span>
        <span className={styles.place}>{placeOf(i, names)}</span>
        {i.duplicateOf !== null && <span className={styles.dup} data-testid="row-duplicate">疑似重复 #{i.duplicateOf}</span>}
        {i.aboutEventId !== null && (
          <button
            type="button"
            className={styles.link}
            data-testid="row-about"
            onClick={(e) => {
              // The complaint's own row stays where it is; the event it is about opens.
              e.stopPropagation();
              onSelect(i.aboutEventId!);
            }}
          >
            投诉 #{i.aboutEventId}
          </button>
        )}
        {i.lockedBy && <span className={styles.lock} data-testid="row-lock" title={`${i.lockedBy} 正在处理`}><LockIcon />{i.lockedBy}</span>}
      </div>
    </div>
  );
});
