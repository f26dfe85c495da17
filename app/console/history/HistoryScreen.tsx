'use client';

import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Me } from '@/lib/contracts/auth';
import type { HistoryEventsV1, InspectionRouteV1, SnapshotV1 } from '@/lib/contracts/history';
import { MAX_TRACE_HOURS } from '@/lib/contracts/history';
import { fromLocalInput, shanghaiClock, shanghaiTimeToday, toLocalInput } from '@/lib/history/clock';
import { http } from '@/app/http';
import type { StationCollection } from '@/app/map/types';
import { loadReplay, loadSnapshot, type Replay, type Who } from '@/app/history/api';
import ReplayControls from '@/app/history/ReplayControls';
import ReplayMap from '@/app/history/ReplayMap';
import { useReplayClock } from '@/app/history/useReplayClock';
import styles from '@/app/history/history.module.css';

interface UnitOption {
  id: number;
  code: string;
  name: string;
  isTeam: boolean;
  stationId: number | null;
}

type Mode = 'unit' | 'station';
const HOUR = 3_600_000;

/** The inspection's route as a replay: its participants' traces over its day, with that day's incidents of the station. */
async function inspectionReplay(id: number): Promise<{ replay: Replay; title: string }> {
  const r = await http.get<InspectionRouteV1>(`/api/v1/inspections/${id}/route`, { what: '读取巡查路线' });
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  const ids = new Set(r.units.map((u) => u.id));
  // The route stands without the day's events: a failure to read them leaves the map without them.
  const events = await http
    .get<HistoryEventsV1>(`/api/v1/history/events?from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}&station=${r.inspection.stationId}`)
    .catch(() => null);
  const unmatched = r.unmatched.length ? `；未对应到单元：${r.unmatched.join('、')}` : '';
  return {
    replay: {
      from, to, units: r.units, traces: new Map(r.units.map((u) => [u.id, u.points])),
      incidents: (events?.incidents ?? []).map((i) => ({ ...i, reported: Date.parse(i.reportedAt) })),
      dispatches: (events?.dispatches ?? []).filter((d) => ids.has(d.unitId)),
    },
    title: `联合巡查 #${r.inspection.id}（${r.inspection.day}，${r.inspection.area}）${unmatched}`,
  };
}

/** /console/history: pick who and when, replay it, or ask where everyone was at one time. */
export default function HistoryScreen() {
  const [me, setMe] = useState<Me | null>(null);
  const [units, setUnits] = useState<UnitOption[]>([]);
  const [stations, setStations] = useState<{ id: number; name: string }[]>([]);
  const [mode, setMode] = useState<Mode>('unit');
  const [unitId, setUnitId] = useState('');
  const [stationId, setStationId] = useState('');
  // The inputs hold whole minutes: the end is the next one, so the default range takes in what came this minute.
  const [range, setRange] = useState(() => ({ from: toLocalInput(Date.now() - 2 * HOUR), to: toLocalInput(Date.now() + 60_000) }));
  const [replay, setReplay] = useState<Replay | null>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [snapText, setSnapText] = useState('');
  const [snapshot, setSnapshot] = useState<SnapshotV1 | null>(null);
  const [snapError, setSnapError] = useState('');
  const { clock, toggle, seek, setSpeed } = useReplayClock(replay?.from ?? 0, replay?.to ?? 0);

  useEffect(() => {
    http.get<Me>('/api/v1/auth/me').then((m) => {
      setMe(m);
      if (m.stationId !== null) setStationId(String(m.stationId));
    }, () => undefined);
    http.get<UnitOption[]>('/api/v1/units').then((list) => setUnits([...list].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))), () => undefined);
    http.get<StationCollection>('/api/v1/stations').then(
      (fc) => setStations(fc.features.flatMap((f) => (f.properties.id === undefined ? [] : [{ id: f.properties.id, name: f.properties.name }]))),
      () => undefined,
    );
    // A link from the inspections tab: /console/history?inspection=12.
    const inspection = Number(new URLSearchParams(window.location.search).get('inspection'));
    if (Number.isInteger(inspection) && inspection > 0) {
      inspectionReplay(inspection).then(
        (r) => { setReplay(r.replay); setTitle(r.title); },
        (e: unknown) => setError(e instanceof Error ? e.message : '读取失败'),
      );
    }
  }, []);

  // Only the stations the account may see: a station-bound account sees its own.
  const visibleStations = useMemo(
    () => (me && me.stationId !== null && !['admin', 'district_leader', 'district_operator'].includes(me.role) ? stations.filter((s) => s.id === me.stationId) : stations),
    [me, stations],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError('');
    const from = fromLocalInput(range.from);
    const to = fromLocalInput(range.to);
    if (from === null || to === null || to <= from) return setError('请填写开始与结束时间，结束须晚于开始');
    if (to - from > MAX_TRACE_HOURS * HOUR) return setError(`时间范围最长 ${MAX_TRACE_HOURS} 小时`);
    const who: Who | null = mode === 'unit' ? (unitId ? { units: [Number(unitId)] } : null) : stationId ? { station: Number(stationId) } : null;
    if (!who) return setError(mode === 'unit' ? '请选择单元' : '请选择工作站');
    setBusy(true);
    try {
      const r = await loadReplay(who, from, to);
      setReplay(r);
      const label = mode === 'unit' ? units.find((u) => u.id === Number(unitId))?.name : visibleStations.find((s) => s.id === Number(stationId))?.name;
      setTitle(`${label ?? ''} ${range.from.replace('T', ' ')} 至 ${range.to.replace('T', ' ')}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : '读取失败');
    } finally {
      setBusy(false);
    }
  }

  async function askSnapshot(e: FormEvent) {
    e.preventDefault();
    setSnapError('');
    const at = shanghaiTimeToday(snapText, Date.now());
    if (at === null) return setSnapError('请输入时刻，如 14:05');
    const who: Who | null = mode === 'unit' && unitId ? { units: [Number(unitId)] } : stationId ? { station: Number(stationId) } : null;
    if (!who) return setSnapError('请先选择单元或工作站');
    try {
      setSnapshot(await loadSnapshot(who, at));
    } catch (err) {
      setSnapError(err instanceof Error ? err.message : '读取失败');
    }
  }

  const fixes = replay?.units.reduce((n, u) => n + u.points.length, 0) ?? 0;
  const moving = replay?.units.filter((u) => u.points.length > 0).length ?? 0;

  return (
    <div className={styles.screen}>
      <aside className={styles.side}>
        <form className={styles.form} onSubmit={submit} aria-label="回放条件">
          <fieldset className={styles.row}>
            <legend>回放对象</legend>
            <label><input type="radio" name="mode" checked={mode === 'unit'} onChange={() => setMode('unit')} />单元或队伍</label>
            <label><input type="radio" name="mode" checked={mode === 'station'} onChange={() => setMode('station')} />工作站全部单元</label>
          </fieldset>
          {mode === 'unit' ? (
            <label>
              单元
              <select value={unitId} onChange={(e) => setUnitId(e.target.value)} required>
                <option value="">请选择</option>
                {units.map((u) => <option key={u.id} value={u.id}>{u.name}{u.isTeam ? '（队伍）' : ''} · {u.code}</option>)}
              </select>
            </label>
          ) : (
            <label>
              工作站
              <select value={stationId} onChange={(e) => setStationId(e.target.value)} required>
                <option value="">请选择</option>
                {visibleStations.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
              </select>
            </label>
          )}
          <label>开始时间<input type="datetime-local" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} required /></label>
          <label>结束时间<input type="datetime-local" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} required /></label>
          <button type="submit" disabled={busy}>{busy ? '读取中…' : '加载回放'}</button>
          {error && <p className={styles.error} role="alert">{error}</p>}
        </form>

        <form className={styles.form} onSubmit={askSnapshot} aria-label="时刻快照">
          <div className={styles.row}>
            <label>时刻快照<input value={snapText} onChange={(e) => setSnapText(e.target.value)} placeholder="14:05" inputMode="numeric" /></label>
            <button type="submit">查看</button>
            {snapshot && <button type="button" onClick={() => setSnapshot(null)}>清除</button>}
          </div>
          {snapError && <p className={styles.error} role="alert">{snapError}</p>}
          {snapshot && (
            <>
              <p data-testid="snapshot-count">今天 {shanghaiClock(Date.parse(snapshot.at)).slice(0, 5)}：{snapshot.units.length} 个单元有 {snapshot.withinMin} 分钟内的定位</p>
              <ol className={styles.list} aria-label="快照中的单元">
                {snapshot.units.map((u) => <li key={u.id}>{u.name}（{shanghaiClock(u.t)}）</li>)}
              </ol>
            </>
          )}
        </form>
      </aside>

      <section className={styles.mapArea} aria-label="回放">
        {replay ? (
          <>
            <p data-testid="replay-summary">{title}：{moving}/{replay.units.length} 个单元有轨迹，{fixes} 个点位，{replay.incidents.length} 起事件，{replay.dispatches.length} 次派遣</p>
            <ReplayControls clock={clock} onToggle={toggle} onSeek={seek} onSpeed={setSpeed} />
          </>
        ) : (
          <p className={styles.muted}>选择单元或工作站和时间范围（默认最近 2 小时），点击“加载回放”。</p>
        )}
        <ReplayMap replay={replay} t={clock.t} snapshot={snapshot} className={styles.map} />
      </section>
    </div>
  );
}
