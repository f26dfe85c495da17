'use client';

import { useMemo, useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import type { CoverageAnswer, CoverageRow, OwedAnswer } from '@/lib/coverage/contracts';
import { coverageColour, COVERAGE_LEGEND, FIGURE_HINT, FIGURE_LABEL, FIGURES, percent, valueOf, type Figure } from '@/lib/coverage/figures';
import { monthOf } from '@/lib/coverage/month';
import { useLoad } from '@/app/admin/useLoad';
import { useFeed } from '@/app/map/useFeed';
import type { RegionCollection } from '@/app/map/types';
import admin from '@/app/admin/admin.module.css';
import CoverageMap from './CoverageMap';
import styles from './coverage.module.css';
import { categoryLabel } from '@/lib/coverage/labels';

const hours = (s: number) => `${(s / 3600).toFixed(1)} 小时`;

/** One figure's numbers as a sentence under it. */
export function figureDetail(f: Figure, t: CoverageRow['tally']): string {
  switch (f) {
    case 'places': return `${t.placesVisited} / ${t.placesOwed} 处场所已走访`;
    case 'persons': return `走访 ${t.personVisitsMade} / ${t.personVisitsOwed} 次，${t.personsDone} / ${t.persons} 人已完成`;
    case 'patrol': return `巡查 ${hours(t.patrolSeconds)} / ${hours(t.patrolRequiredSeconds)}，${(t.patrolMetres / 1000).toFixed(1)} 公里`;
    case 'hazards': return `发现隐患 ${t.hazards} 件，已办结 ${t.hazardsDone} 件`;
  }
}

export function FigureCards({ row }: { row: CoverageRow | null }) {
  return (
    <div className={styles.figures}>
      {FIGURES.map((f) => (
        <div key={f} className={styles.figure} title={FIGURE_HINT[f]} data-testid={`figure-${f}`}>
          <span>{FIGURE_LABEL[f]}</span>
          <b style={{ color: coverageColour(row ? row.ratios[f] : null) }}>{row ? percent(row.ratios[f]) : '—'}</b>
          <small>{row ? figureDetail(f, row.tally) : '加载中…'}</small>
        </div>
      ))}
    </div>
  );
}

/** Months to choose from: this one and the eleven before it. */
function recentMonths(): string[] {
  const now = new Date();
  return Array.from({ length: 12 }, (_, i) => monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 15))));
}

export default function CoverageScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const [months] = useState(recentMonths);
  const [month, setMonth] = useState(months[0]);
  const [by, setBy] = useState<Figure | 'lowest'>('lowest');
  const [chosenStation, setChosenStation] = useState<number | null>(null);
  const [grid, setGrid] = useState<string | null>(null);
  const stationId = me.data?.stationId ?? chosenStation;

  const stations = useLoad<CoverageAnswer>(`/api/v1/coverage?level=station&month=${month}`);
  const district = useLoad<CoverageAnswer>(`/api/v1/coverage?level=district&month=${month}`);
  const grids = useLoad<CoverageAnswer>(`/api/v1/coverage?level=grid&month=${month}${stationId ? `&station=${stationId}` : ''}`);
  const owed = useLoad<OwedAnswer>(grid ? `/api/v1/coverage/owed?grid=${encodeURIComponent(grid)}&month=${month}` : null);
  const shapes = useFeed<RegionCollection>('/api/v1/regions?level=grid', 10 * 60_000);

  const summary = stationId ? stations.data?.rows.find((r) => r.stationId === stationId) ?? null : district.data?.rows[0] ?? null;
  const rows = useMemo(() => [...(grids.data?.rows ?? [])].sort((a, b) => (valueOf(a, by) ?? 2) - (valueOf(b, by) ?? 2)), [grids.data, by]);
  const error = me.error || grids.error || stations.error;

  return (
    <>
      <p className={admin.hint}>
        S10 全覆盖：场所清、人口清由网格员的轨迹（在目标附近停留满规定时长）与手动签到证明；动态清为在岗时在网格内的巡查时长；隐患清为网格人员本月上报的安全隐患及办结情况。
      </p>
      <div className={styles.bar}>
        <label className={admin.field}><span>月份</span>
          <select className={admin.select} value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label className={admin.field}><span>地图着色</span>
          <select className={admin.select} value={by} onChange={(e) => setBy(e.target.value as Figure | 'lowest')}>
            <option value="lowest">四项中最低</option>
            {FIGURES.map((f) => <option key={f} value={f}>{FIGURE_LABEL[f]}</option>)}
          </select>
        </label>
        {me.data && me.data.stationId === null && (
          <label className={admin.field}><span>工作站</span>
            <select className={admin.select} value={chosenStation ?? ''} onChange={(e) => { setChosenStation(e.target.value ? Number(e.target.value) : null); setGrid(null); }}>
              <option value="">全区</option>
              {stations.data?.rows.map((s) => <option key={s.code} value={s.stationId ?? ''}>{s.name}（{percent(s.lowest)}）</option>)}
            </select>
          </label>
        )}
      </div>
      {error && <p className={admin.formError} role="alert">加载失败：{error}</p>}
      <FigureCards row={summary} />
      <div className={styles.layout}>
        <div>
          <div className={styles.map}>
            <CoverageMap grids={shapes.data} rows={grids.data?.rows ?? []} by={by} onPick={setGrid} />
          </div>
          <div className={styles.legend}>
            {COVERAGE_LEGEND.map((l) => <span key={l.label}><i className={styles.swatch} style={{ background: l.colour }} />{l.label}</span>)}
          </div>
        </div>
        <div className={styles.scroll}>
          <table className={admin.table} data-testid="coverage-grids">
            <thead><tr><th>网格</th>{FIGURES.map((f) => <th key={f} className={admin.num}>{FIGURE_LABEL[f]}</th>)}</tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code} className={`${styles.row} ${r.code === grid ? styles.picked : ''}`} onClick={() => setGrid(r.code)}>
                  <td><i className={styles.swatch} style={{ background: coverageColour(valueOf(r, by)) }} />{r.name}</td>
                  {FIGURES.map((f) => <td key={f} className={admin.num} title={figureDetail(f, r.tally)}>{percent(r.ratios[f])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          {grids.data && rows.length === 0 && <p className={admin.empty}>没有可见的网格。</p>}
        </div>
      </div>
      <h2 className={admin.section}>尚欠走访{grid ? `：${rows.find((r) => r.code === grid)?.name ?? grid}` : ''}</h2>
      {!grid && <p className={admin.empty}>在地图或表格中选择一个网格。</p>}
      {owed.error && <p className={admin.formError} role="alert">{owed.error}</p>}
      {grid && owed.data && (
        owed.data.items.length === 0 ? <p className={admin.empty}>本月已全部走访。</p> : (
          <table className={admin.table} data-testid="coverage-owed">
            <thead><tr><th>类型</th><th>名称</th><th>类别</th><th>地址</th><th className={admin.num}>已走访 / 应走访</th><th>最近走访</th></tr></thead>
            <tbody>
              {owed.data.items.map((i) => (
                <tr key={`${i.kind}-${i.id}`}>
                  <td>{i.kind === 'place' ? '重点场所' : '重点人员'}</td>
                  <td className={i.masked ? styles.masked : undefined}>{i.name}</td>
                  <td>{categoryLabel(i.kind, i.category)}</td>
                  <td>{i.address ?? '—'}</td>
                  <td className={admin.num}>{i.made} / {i.owed}</td>
                  <td>{i.lastVisitAt ? new Date(i.lastVisitAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </>
  );
}
