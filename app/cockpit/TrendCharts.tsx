'use client';

import { useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KpiTrendV1 } from '@/lib/contracts/kpi';
import styles from './cockpit.module.css';

/** Past this many categories a stack stops being readable; the rest are summed as 其余. */
const TOP_CATEGORIES = 6;
const CATEGORY_COLORS = ['#4fd8ff', '#3ddc84', '#ffd23f', '#ff9f43', '#c08cff', '#ff6b81', '#7f98b3'];
const LINES = [
  { key: 'reported', label: '上报', color: '#4fd8ff' },
  { key: 'closed', label: '办结', color: '#3ddc84' },
  { key: 'overdue', label: '超期', color: '#ff5252' },
] as const;

const shortDay = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`;

type Props = { trend: KpiTrendV1; unit: number };

/** Daily lines (上报、办结、超期) and the categories stacked, over 30 or 90 days. */
export default function TrendCharts({ trend, unit: u }: Props) {
  const { rows, stacks } = useMemo(() => {
    const totals = new Map<string, number>();
    for (const d of trend.days) for (const [c, n] of Object.entries(d.byCategory)) totals.set(c, (totals.get(c) ?? 0) + n);
    const labels = new Map(trend.categories.map((c) => [c.code, c.label]));
    const ranked = [...totals.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([c]) => c);
    const top = ranked.slice(0, TOP_CATEGORIES);
    const hasRest = ranked.length > TOP_CATEGORIES;
    const stacks = [...top.map((c) => ({ key: `c:${c}`, label: labels.get(c) ?? c })), ...(hasRest ? [{ key: 'rest', label: '其余' }] : [])];
    const rows = trend.days.map((d) => {
      const row: Record<string, string | number> = { day: shortDay(d.day), reported: d.reported, closed: d.closed, overdue: d.overdue };
      let rest = 0;
      for (const [c, n] of Object.entries(d.byCategory)) {
        if (top.includes(c)) row[`c:${c}`] = n;
        else rest += n;
      }
      for (const c of top) row[`c:${c}`] ??= 0;
      if (hasRest) row.rest = rest;
      return row;
    });
    return { rows, stacks };
  }, [trend]);

  const axis = { fontSize: 12 * u, fill: '#8aa3bd' };
  // About ten day labels whatever the span and the screen: recharts' own thinning misjudges scaled text.
  const interval = Math.max(0, Math.ceil(rows.length / 10) - 1);
  const tooltip = { contentStyle: { background: '#0c1b30', border: '1px solid #2a4d75', color: '#d7e7f7' }, isAnimationActive: false };
  return (
    <div className={styles.charts}>
      <figure className={styles.chart} data-testid="trend-lines" aria-label="每日上报、办结、超期">
        <figcaption>每日上报 · 办结 · 超期</figcaption>
        <div className={styles.chartBody}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8 * u, right: 12 * u, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="rgba(79,216,255,0.12)" vertical={false} />
              <XAxis dataKey="day" tick={axis} interval={interval} />
              <YAxis tick={axis} allowDecimals={false} width={36 * u} />
              <Tooltip {...tooltip} />
              <Legend wrapperStyle={{ fontSize: 13 * u }} iconSize={12 * u} />
              {LINES.map((l) => (
                <Line key={l.key} dataKey={l.key} name={l.label} stroke={l.color} dot={false} strokeWidth={2 * u} isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className={styles.chart} data-testid="trend-categories" aria-label="每日事件按类别">
        <figcaption>每日事件按类别</figcaption>
        <div className={styles.chartBody}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={rows} margin={{ top: 8 * u, right: 12 * u, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="rgba(79,216,255,0.12)" vertical={false} />
              <XAxis dataKey="day" tick={axis} interval={interval} />
              <YAxis tick={axis} allowDecimals={false} width={36 * u} />
              <Tooltip {...tooltip} />
              <Legend wrapperStyle={{ fontSize: 13 * u }} iconSize={12 * u} />
              {stacks.map((s, i) => (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stackId="categories"
                  stroke={CATEGORY_COLORS[i % CATEGORY_COLORS.length]}
                  fill={CATEGORY_COLORS[i % CATEGORY_COLORS.length]}
                  fillOpacity={0.45}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}
