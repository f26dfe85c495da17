'use client';

import { useMemo } from 'react';
import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { LiveIncident } from '@/app/live/incidents';
import { incidentStats } from '@/app/live/kpis';
import Panel from './Panel';
import { useWallUnit } from './useWallUnit';
import styles from './wall.module.css';

/** Past this many categories the chart stops being readable at a glance; the rest are summed. */
const TOP_CATEGORIES = 6;
const BAR_COLORS = ['#4fd8ff', '#3fb6e8', '#3a95d0', '#3578b8', '#2f5f9f', '#2a4c86', '#24406e'];

type Props = { incidents: readonly LiveIncident[]; now: number; loaded: boolean };

/** 今日事件: today's count, what is open and overdue, and today's incidents by state and category. */
export default function TodayPanel({ incidents, now, loaded }: Props) {
  const u = useWallUnit();
  const stats = useMemo(() => incidentStats(incidents, now), [incidents, now]);
  const categories = useMemo(() => {
    const top = stats.byCategory.slice(0, TOP_CATEGORIES);
    const rest = stats.byCategory.slice(TOP_CATEGORIES).reduce((n, c) => n + c.count, 0);
    return rest > 0 ? [...top, { key: 'rest', label: '其余', count: rest }] : top;
  }, [stats]);
  const hasData = loaded && (stats.today > 0 || stats.open > 0);

  return (
    <Panel title="今日事件">
      {hasData && (
        <div className={styles.today} data-testid="today">
          <dl className={styles.tiles}>
            <div><dt>今日上报</dt><dd data-testid="today-count">{stats.today}</dd></div>
            <div><dt>未办结</dt><dd>{stats.open}</dd></div>
            <div data-alert={stats.overdue > 0}><dt>超期</dt><dd data-testid="overdue-count">{stats.overdue}</dd></div>
            <div><dt>今日办结</dt><dd>{stats.closedToday}</dd></div>
          </dl>
          {stats.citizenToday > 0 && (
            <p className={styles.citizenLine} data-testid="today-citizen">
              群众诉求 今日 <b data-testid="today-citizen-count">{stats.citizenToday}</b> 件 · 已答复/办结 <b data-testid="today-citizen-done">{stats.citizenDoneToday}</b> 件
            </p>
          )}
          {stats.byState.length > 0 && (
            <ul className={styles.states} aria-label="今日事件按状态">
              {stats.byState.map((s) => (
                <li key={s.key} data-state={s.key}>
                  {s.label}
                  <b>{s.count}</b>
                </li>
              ))}
            </ul>
          )}
          {categories.length > 0 && (
            <div className={styles.chart} style={{ height: `${categories.length * 26 * u + 8}px` }} aria-label="今日事件按类别">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={categories} layout="vertical" margin={{ top: 0, right: 36 * u, bottom: 0, left: 0 }} barCategoryGap="22%">
                  <XAxis type="number" hide allowDecimals={false} />
                  <YAxis type="category" dataKey="label" width={104 * u} axisLine={false} tickLine={false} interval={0} />
                  <Bar dataKey="count" isAnimationActive={false} radius={[0, 3 * u, 3 * u, 0]}>
                    {categories.map((c, i) => <Cell key={c.key} fill={BAR_COLORS[Math.min(i, BAR_COLORS.length - 1)]} />)}
                    <LabelList dataKey="count" position="right" />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
