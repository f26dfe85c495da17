'use client';

import type { AreaRef, KpiCode } from '@/lib/contracts/kpi';
import type { Me } from '@/lib/contracts/auth';
import { useWallUnit } from '@/app/wall/useWallUnit';
import { formatDateTime } from '@/app/live/time';
import { STATION_BOUND } from './access';
import KpiTiles from './KpiTiles';
import RankingTable from './RankingTable';
import TrendCharts from './TrendCharts';
import { DEFAULT_STATE, homeArea } from './state';
import { useCockpitData } from './useCockpitData';
import { useLiveNudges } from './useLiveNudges';
import styles from './cockpit.module.css';

/** Read across a room: the figures a ranking is judged by, not all thirteen. */
const WALL_COLUMNS: readonly KpiCode[] = ['reported', 'completion', 'on_time', 'overdue', 'handle_p50'];
/** Rows that fit the ranking's cell at every wall size; the rest would need scrolling. */
const WALL_ROWS = 12;

/**
 * The cockpit on a wall: today's figures of the screen's area, the 30-day trends and the areas
 * below ranked; no controls (nobody stands at a wall with a mouse), sized in --u like the wall,
 * and fitted to the screen without scrollbars.
 */
export default function WallCockpit({ me, area: fixedArea }: { me: Me; area?: AreaRef }) {
  const area = fixedArea ?? homeArea(me.stationId, STATION_BOUND.includes(me.role));
  const { nudges, connected } = useLiveNudges();
  const data = useCockpitData(area, DEFAULT_STATE, nudges, false);
  const u = useWallUnit();
  const answer = data.kpi.data;

  return (
    <div className={styles.wall} data-testid="cockpit" data-state="ok" data-area={answer?.area.ref ?? ''} data-live={connected}>
      <header className={styles.wallHeader}>
        {/* The wall's header says when the connection is fine; this one speaks only of trouble with the figures. */}
        <div className={styles.status} data-state={data.kpi.error ? 'failed' : connected ? 'ok' : 'connecting'} hidden={!data.kpi.error && connected}>
          <i aria-hidden />
          {data.kpi.error ? '指标加载失败，正在重试' : '实时数据连接中'}
        </div>
        {/* The wall's own header (app/wall) carries the title and clock; this names the area. */}
        <h2>{answer ? answer.area.name : ''}</h2>
        <p className={styles.updated}>{answer && `今日 ${answer.period.from} · 更新于 ${formatDateTime(Date.parse(answer.computedAt))}`}</p>
      </header>
      {answer ? <KpiTiles values={answer.values} selected={null} onOpen={null} /> : <p className={styles.centre}>加载中…</p>}
      <div className={styles.wallLower}>
        <section className={styles.panel} aria-label="近 30 天趋势">
          <h2 className={styles.panelTitle}>近 30 天趋势</h2>
          {data.trend.data ? <TrendCharts trend={data.trend.data} unit={u} /> : <p className={styles.empty}>暂无数据</p>}
        </section>
        {data.ranking.data && (
          <section className={styles.panel} aria-label="互比互看">
            <h2 className={styles.panelTitle}>互比互看 · 今日</h2>
            <RankingTable ranking={data.ranking.data} only={WALL_COLUMNS} maxRows={WALL_ROWS} onDrill={null} />
          </section>
        )}
      </div>
    </div>
  );
}
