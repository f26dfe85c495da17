'use client';

import { useEffect, useMemo } from 'react';
import Link from 'next/link';
import type { AreaInfo, AreaRef } from '@/lib/contracts/kpi';
import type { Me } from '@/lib/contracts/auth';
import { shanghaiDay } from '@/lib/time/workdays';
import UserBar from '@/app/components/UserBar';
import { formatDateTime } from '@/app/live/time';
import { CONSOLE_ROLES, STATION_BOUND } from './access';
import Breadcrumb from './Breadcrumb';
import EventsList from './EventsList';
import KpiTiles from './KpiTiles';
import PeriodSwitch from './PeriodSwitch';
import RankingTable from './RankingTable';
import TrendCharts from './TrendCharts';
import WallCockpit from './WallCockpit';
import { homeArea, writeState, type CockpitState } from './state';
import { useAreaChain } from './useAreaChain';
import { useCockpitData } from './useCockpitData';
import { useCockpitUrl } from './useCockpitUrl';
import { useLiveNudges } from './useLiveNudges';
import styles from './cockpit.module.css';

const PERIOD_LABEL = { today: '今日', week: '本周', month: '本月', range: '自定义' } as const;
const NO_AREAS: readonly AreaInfo[] = [];

type Change = (patch: Partial<CockpitState>) => void;

/**
 * The cockpit at a leader's desk, its state in the URL; with ?view=wall the same area shown as
 * on a wall, full-screen (a meeting room's projector), left with Esc or the browser's Back.
 */
export default function DeskCockpit({ me, area }: { me: Me; area?: AreaRef }) {
  const [state, change] = useCockpitUrl();
  if (state.projected) return <Projected me={me} area={state.area ?? area} onLeave={() => change({ projected: false })} />;
  return <DeskBoard me={me} area={area} state={state} change={change} />;
}

function Projected({ me, area, onLeave }: { me: Me; area: AreaRef | undefined; onLeave: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onLeave();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onLeave]);
  return (
    <div className={styles.projected}>
      <WallCockpit me={me} area={area} />
    </div>
  );
}

/** Everything on it can be clicked down to its events. */
function DeskBoard({ me, area: fixedArea, state, change }: { me: Me; area?: AreaRef; state: CockpitState; change: Change }) {
  const bound = STATION_BOUND.includes(me.role);
  const home = fixedArea ?? homeArea(me.stationId, bound);
  const top = bound ? home : 'district';
  const area = state.area ?? home;
  const { nudges, connected } = useLiveNudges();
  const data = useCockpitData(area, state, nudges, true);

  const answer = data.kpi.data;
  const rankingAreas = useMemo(() => data.ranking.data?.rows.map((r) => r.area) ?? NO_AREAS, [data.ranking.data]);
  const chain = useAreaChain(answer?.area.ref === area ? answer.area : null, rankingAreas, top);
  const today = shanghaiDay(new Date());
  // A drill to another area closes the list: its events were of the area left.
  const go = (to: AreaRef) => change({ area: to === home ? null : to, kpi: null, part: 'numerator' });
  const hrefOf = (to: AreaRef) => `/cockpit${writeState({ ...state, area: to, kpi: null, part: 'numerator' })}`;
  const opened = state.kpi ? answer?.values.find((v) => v.code === state.kpi) ?? null : null;
  const stale = answer !== null && data.kpi.dataPath !== null && !data.kpi.dataPath.includes(`area=${encodeURIComponent(area)}`);

  return (
    <div className={styles.desk} data-testid="cockpit" data-state="ok" data-area={answer?.area.ref ?? ''} data-day={answer?.period.from ?? ''} data-live={connected}>
      <header className={styles.deskHeader}>
        <h1>领导驾驶舱</h1>
        <Breadcrumb chain={chain} top={top} onGo={go} />
        <div className={styles.status} data-state={data.kpi.error ? 'failed' : connected ? 'ok' : 'connecting'} data-testid="cockpit-status">
          <i aria-hidden />
          {data.kpi.error ? data.kpi.error : connected ? '实时' : '实时数据连接中'}
        </div>
        <nav className={styles.deskNav}>
          <button type="button" className={styles.project} onClick={() => change({ projected: true, kpi: null })} data-testid="project">
            投屏
          </button>
          {CONSOLE_ROLES.includes(me.role) && <Link href="/console">指挥台</Link>}
          <UserBar />
        </nav>
      </header>

      <div className={styles.toolbar}>
        <PeriodSwitch key={`${state.period}:${state.from}:${state.to}`} state={state} today={today} onChange={(p) => change({ ...p })} />
        {answer && (
          <p className={styles.periodNote} data-testid="period-note">
            {PERIOD_LABEL[answer.period.kind]} {answer.period.from}{answer.period.to !== answer.period.from && ` 至 ${answer.period.to}`}
            <span>（上期 {answer.previous.from}{answer.previous.to !== answer.previous.from && ` 至 ${answer.previous.to}`}）</span>
            <span>更新于 {formatDateTime(Date.parse(answer.computedAt))}</span>
          </p>
        )}
      </div>

      {data.kpi.refused && !answer ? (
        <div className={styles.centre} role="alert">
          <p>无权查看该范围。</p>
          <button type="button" onClick={() => go(home)}>返回本级</button>
        </div>
      ) : !answer ? (
        <p className={styles.centre}>{data.kpi.error ?? '加载中…'}</p>
      ) : (
        <div data-stale={stale}>
          <KpiTiles values={answer.values} selected={state.kpi} onOpen={(kpi) => change({ kpi: state.kpi === kpi ? null : kpi, part: 'numerator' })} />

          {state.kpi && data.eventsPath && (
            <EventsList
              kpi={state.kpi}
              part={state.part}
              value={opened}
              feed={data.events}
              path={data.eventsPath}
              linkToConsole={CONSOLE_ROLES.includes(me.role)}
              onPart={(part) => change({ part })}
              onClose={() => change({ kpi: null, part: 'numerator' })}
            />
          )}

          <div className={styles.lower}>
            <section className={styles.panel} aria-label="趋势">
              <header className={styles.panelHeader}>
                <h2>趋势</h2>
                <div className={styles.segmented} role="group" aria-label="天数">
                  {([30, 90] as const).map((d) => (
                    <button key={d} type="button" aria-pressed={state.days === d} onClick={() => change({ days: d })} data-testid={`days-${d}`}>
                      近 {d} 天
                    </button>
                  ))}
                </div>
              </header>
              {data.trend.data ? <TrendCharts trend={data.trend.data} unit={1} /> : <p className={styles.empty}>{data.trend.error ?? '加载中…'}</p>}
            </section>

            {data.ranking.data !== null || data.ranking.error ? (
              <section className={styles.panel} aria-label="互比互看">
                <header className={styles.panelHeader}>
                  <h2>互比互看 <small>点列名排序，点名称下钻</small></h2>
                </header>
                {data.ranking.data ? (
                  <RankingTable ranking={data.ranking.data} onDrill={go} hrefOf={hrefOf} />
                ) : (
                  <p className={styles.empty}>{data.ranking.error}</p>
                )}
              </section>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
