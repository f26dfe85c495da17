'use client';

import type { CSSProperties } from 'react';
import { Cell, Pie, PieChart, ResponsiveContainer } from 'recharts';
import type { UnitCounts } from '@/app/live/store';
import { css, KIND_RGB, UNKNOWN_RGB } from './palette';
import Panel from './Panel';
import styles from './wall.module.css';

const STATE_COLORS = { online: '#3ddc84', stale: '#e0b44c', offline: '#5d7188', silent: 'rgba(127, 152, 179, 0.18)' };

/** 在线力量: how many units are reporting now (fix within 2 min), overall and by kind. */
export default function ForcesPanel({ units }: { units: UnitCounts }) {
  const hasData = units.known > 0 || units.reporting > 0;
  const total = Math.max(units.known, units.reporting);
  const silent = Math.max(0, total - units.online - units.stale - units.offline);
  const percent = total > 0 ? (units.online / total) * 100 : 0;
  // One unit of two thousand online is not "0%": the wall would read as dead.
  const rate = percent > 0 && percent < 1 ? '<1' : String(Math.round(percent));
  const slices = [
    { key: 'online', value: units.online, color: STATE_COLORS.online },
    { key: 'stale', value: units.stale, color: STATE_COLORS.stale },
    { key: 'offline', value: units.offline, color: STATE_COLORS.offline },
    { key: 'silent', value: silent, color: STATE_COLORS.silent },
  ];

  return (
    <Panel title="在线力量" className={styles.grow}>
      {hasData && (
        <div className={styles.forces} data-testid="forces">
          <div className={styles.forcesHead}>
            <div className={styles.donut}>
              <ResponsiveContainer width="100%" height="100%">
                <PieChart>
                  <Pie data={slices} dataKey="value" nameKey="key" innerRadius="72%" outerRadius="100%" startAngle={90} endAngle={-270} stroke="none" isAnimationActive={false}>
                    {slices.map((s) => <Cell key={s.key} fill={s.color} />)}
                  </Pie>
                </PieChart>
              </ResponsiveContainer>
              <span className={styles.donutLabel}>
                <b>{rate}%</b>
                在线率
              </span>
            </div>
            <dl className={styles.forcesTotals}>
              <dt>在线</dt>
              <dd data-testid="online-count" style={{ color: STATE_COLORS.online }}>{units.online}</dd>
              <dt>信号弱</dt>
              <dd style={{ color: STATE_COLORS.stale }}>{units.stale}</dd>
              <dt>离线</dt>
              <dd>{units.offline}</dd>
              <dt>未上线</dt>
              <dd>{silent}</dd>
            </dl>
          </div>
          <ul className={styles.kinds}>
            {/* A kind the district has no units of is not news; it would only read as a shortfall. */}
            {units.byKind.filter((k) => k.total > 0 || k.online > 0).map((k) => (
              <li
                key={k.kind ?? 'other'}
                data-kind={k.kind ?? 'other'}
                style={{ '--swatch': css(k.kind ? KIND_RGB[k.kind] : UNKNOWN_RGB) } as CSSProperties}
              >
                <span className={styles.kindLabel}>{k.label}</span>
                <span className={styles.meter} aria-hidden>
                  <i style={{ width: `${k.total > 0 ? Math.min(100, (k.online / k.total) * 100) : 0}%` }} />
                </span>
                <span className={styles.kindCount}>
                  <b>{k.online}</b>/{k.total}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
