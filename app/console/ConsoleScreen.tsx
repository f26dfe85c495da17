'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type CSSProperties } from 'react';
import { isDone } from '@/lib/events/machine';
import { LiveStore } from '@/app/live/store';
import { useLiveStore } from '@/app/live/useLiveStore';
import UserBar from '@/app/components/UserBar';
import { useFeed } from '@/app/map/useFeed';
import type { RegionCollection, StationCollection } from '@/app/map/types';
import EventDrawer from './EventDrawer';
import AreaPanel from './AreaPanel';
import type { Bounds } from '@/app/map/core/geometry';
import Invitations from './command/Invitations';
import NoticesBell from './NoticesBell';
import QueuePanel from './QueuePanel';
import { STATE_GROUPS, css } from './palette';
import { DEFAULT_FILTER, queueOf, type PlaceNames, type QueueFilter } from './queue';
import { useMinute } from './useMinute';
import { useNotices } from './useNotices';
import { useReference } from './useReference';
import styles from './console.module.css';

// WebGL has no server side; the map mounts in the browser only.
const ConsoleMap = dynamic(() => import('./ConsoleMap'), { ssr: false });

// Boundaries change on re-import only; stations when an admin edits one.
const REGIONS_REFRESH_MS = 30 * 60_000;
const STATIONS_REFRESH_MS = 5 * 60_000;

const SUFFIX = /社会治理联动工作站$/;

/** The executive deputy chief's desk (S7; issue 4 §8): the queue, the map, and the event in hand. */
const noSubscribe = () => () => {};
function eventInUrl(): number | null {
  const id = Number(new URLSearchParams(window.location.search).get('event'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export default function ConsoleScreen() {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', REGIONS_REFRESH_MS);
  const towns = useFeed<RegionCollection>('/api/v1/regions?level=town', REGIONS_REFRESH_MS);
  const villages = useFeed<RegionCollection>('/api/v1/regions?level=village', REGIONS_REFRESH_MS);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', REGIONS_REFRESH_MS);
  const stations = useFeed<StationCollection>('/api/v1/stations', STATIONS_REFRESH_MS);
  const reference = useReference();
  const notices = useNotices();

  // The same live store as the wall: the queue agrees with the command-room screens within a second.
  const [store] = useState(() => new LiveStore());
  useEffect(() => {
    store.start();
    window.__console = { ...window.__console, store };
    return () => {
      store.stop();
      if (window.__console?.store === store) delete window.__console.store;
    };
  }, [store]);
  const live = useLiveStore(store);
  const command = useSyncExternalStore(store.command.subscribe, store.command.getView, store.command.getView);
  const serverNow = useCallback(() => store.serverNow(), [store]);
  const now = useMinute(serverNow);

  // /console?event=<id> (links from the meetings page) opens that event until another is chosen.
  const fromUrl = useSyncExternalStore(noSubscribe, eventInUrl, () => null);
  const [chosen, setSelectedId] = useState<number | null | undefined>(undefined);
  const selectedId = chosen === undefined ? fromUrl : chosen;
  useEffect(() => {
    window.__console = { ...window.__console, selected: selectedId };
  }, [selectedId]);
  const select = useCallback((id: number) => setSelectedId(id), []);
  const close = useCallback(() => setSelectedId(null), []);

  // The viewer's own station until they choose another (or the whole district).
  const [filterState, setFilterState] = useState<Omit<QueueFilter, 'stationId'> & { stationId: number | null | 'mine' }>({ ...DEFAULT_FILTER, stationId: 'mine' });
  const filter = useMemo<QueueFilter>(
    () => ({ ...filterState, stationId: filterState.stationId === 'mine' ? reference.me?.stationId ?? null : filterState.stationId }),
    [filterState, reference.me],
  );
  const onFilter = useCallback((change: Partial<QueueFilter>) => setFilterState((f) => ({ ...f, ...change })), []);
  const selectStation = useCallback((id: number) => onFilter({ stationId: id }), [onFilter]);

  const names = useMemo<PlaceNames>(
    () => ({
      village: new Map((villages.data?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
      grid: new Map((grids.data?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    }),
    [villages.data, grids.data],
  );
  const rows = useMemo(() => queueOf(live.incidents, filter, now, names), [live.incidents, filter, now, names]);
  const [areaMode, setAreaMode] = useState(false);
  const [area, setArea] = useState<Bounds | null>(null);
  const onArea = useCallback((b: Bounds) => {
    setArea(b);
    setAreaMode(false);
  }, []);
  const inArea = useMemo(() => {
    if (!area) return null;
    const [[w, s], [e, n]] = area;
    return rows.filter((i) => !isDone(i.state) && i.lon >= w && i.lon <= e && i.lat >= s && i.lat <= n);
  }, [area, rows]);
  const selected = useMemo(() => (selectedId === null ? null : live.incidents.find((i) => i.id === selectedId) ?? null), [live.incidents, selectedId]);

  const stationName = useMemo(() => {
    const f = stations.data?.features.find((s) => s.properties.id === filter.stationId);
    return f ? f.properties.name.replace(SUFFIX, '') || f.properties.name : '全区';
  }, [stations.data, filter.stationId]);
  const failed = [district, villages, grids, stations].some((f) => f.failed);

  return (
    <div className={styles.console} data-drawer={selectedId !== null}>
      <header className={styles.header}>
        <h1>指挥台 <small>{stationName}</small></h1>
        <div className={styles.status} data-state={failed ? 'failed' : live.connected ? 'ok' : 'connecting'} data-testid="console-status">
          <i aria-hidden />
          {failed ? '数据连接中断，正在重试' : live.connected ? '实时' : '实时数据连接中'}
        </div>
        <div className={styles.headerRight}>
          <NoticesBell notices={notices} onSelect={select} />
          <UserBar />
        </div>
      </header>

      <Invitations command={command} accountId={reference.me?.accountId ?? null} onOpen={select} />

      <QueuePanel
        rows={rows}
        filter={filter}
        onFilter={onFilter}
        categories={reference.categories}
        stations={stations.data}
        names={names}
        now={now}
        selectedId={selectedId}
        onSelect={select}
        loaded={live.incidentsLoaded}
      />

      <main className={styles.mapCell}>
        <ConsoleMap
          district={district.data}
          towns={towns.data}
          villages={villages.data}
          grids={grids.data}
          stations={stations.data}
          stationId={filter.stationId}
          rows={rows}
          now={now}
          selected={selected}
          onSelect={select}
          onSelectStation={selectStation}
          store={store}
          dispatches={command.dispatches}
          tick={live.now}
          areaMode={areaMode}
          onArea={onArea}
        />
        <button type="button" className={styles.areaTool} aria-pressed={areaMode} onClick={() => setAreaMode((on) => !on)} data-testid="area-tool">
          {areaMode ? '拖动框选区域…' : '框选区域'}
        </button>
        {inArea && <AreaPanel incidents={inArea} onOpen={select} onClose={() => setArea(null)} />}
        <ul className={styles.legend} aria-label="图例">
          {STATE_GROUPS.map((g) => (
            <li key={g.key} style={{ '--dot': css(g.rgb) } as CSSProperties}>{g.label}</li>
          ))}
          <li data-card="yellow">黄牌/超时</li>
          <li data-card="red">红牌</li>
        </ul>
        <p className={styles.notice}>镇（街道）以下边界为示意，非法定界线</p>
      </main>

      {selectedId !== null && (
        <EventDrawer
          key={selectedId}
          id={selectedId}
          incident={selected}
          now={now}
          reference={reference}
          onClose={close}
          onSelect={select}
          command={command}
        />
      )}
    </div>
  );
}
