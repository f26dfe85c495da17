'use client';

import { useEffect, useRef, useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { http } from '@/app/http';
import type { StationCollection } from '@/app/map/types';
import { loadReplay, type Replay } from '@/app/history/api';
import ReplayControls from '@/app/history/ReplayControls';
import ReplayMap from '@/app/history/ReplayMap';
import { useReplayClock } from '@/app/history/useReplayClock';
import { IDLE_RETURN_MS, idleOver, lastHour } from './idle';
import styles from './playback.module.css';

const CHECK_MS = 10_000;

/**
 * 回放 on the wall: the last hour of the wall's station (a district wall picks one) replayed over
 * the live map, playing at once at 60×; with no input for IDLE_RETURN_MS it returns to live.
 */
export default function WallPlayback() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={styles.toggle} onClick={() => setOpen(true)} hidden={open}>回放</button>
      {open && <Playback onClose={() => setOpen(false)} />}
    </>
  );
}

function Playback({ onClose }: { onClose: () => void }) {
  const [stations, setStations] = useState<{ id: number; name: string }[]>([]);
  const [stationId, setStationId] = useState<number | null>(null);
  const [replay, setReplay] = useState<Replay | null>(null);
  const [error, setError] = useState('');
  const { clock, toggle, seek, setSpeed } = useReplayClock(replay?.from ?? 0, replay?.to ?? 0);
  const lastInput = useRef(0);

  // The wall's own station, or for a district wall the first station until another is picked.
  useEffect(() => {
    lastInput.current = Date.now();
    Promise.all([http.get<Me>('/api/v1/auth/me'), http.get<StationCollection>('/api/v1/stations')]).then(([me, fc]) => {
      const list = fc.features.flatMap((f) => (f.properties.id === undefined ? [] : [{ id: f.properties.id, name: f.properties.name }]));
      setStations(me.stationId === null ? list : list.filter((s) => s.id === me.stationId));
      setStationId(me.stationId ?? list[0]?.id ?? null);
    }, (e: unknown) => setError(e instanceof Error ? e.message : '读取失败'));
  }, []);

  useEffect(() => {
    if (stationId === null) return;
    const ctl = new AbortController();
    const { from, to } = lastHour(Date.now());
    loadReplay({ station: stationId }, from, to, ctl.signal).then(setReplay, (e: unknown) => {
      if (!ctl.signal.aborted) setError(e instanceof Error ? e.message : '读取失败');
    });
    return () => ctl.abort();
  }, [stationId]);

  // Starts playing once loaded, at a minute a second: the hour in a minute.
  const started = useRef<Replay | null>(null);
  useEffect(() => {
    if (!replay || started.current === replay) return;
    started.current = replay;
    setSpeed(60);
    toggle();
  }, [replay, toggle, setSpeed]);

  useEffect(() => {
    const touch = () => { lastInput.current = Date.now(); };
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    const timer = setInterval(() => { if (idleOver(lastInput.current, Date.now(), IDLE_RETURN_MS)) onClose(); }, CHECK_MS);
    return () => {
      events.forEach((e) => window.removeEventListener(e, touch));
      clearInterval(timer);
    };
  }, [onClose]);

  return (
    <section className={styles.overlay} aria-label="轨迹回放">
      <ReplayMap replay={replay} t={clock.t} className={styles.map} />
      <div className={styles.bar}>
        {stations.length > 1 && (
          <select aria-label="回放工作站" value={stationId ?? ''} onChange={(e) => { setReplay(null); setStationId(Number(e.target.value)); }}>
            {stations.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        )}
        {replay ? <ReplayControls clock={clock} onToggle={toggle} onSeek={seek} onSpeed={setSpeed} /> : <span>{error || '读取中…'}</span>}
        <button type="button" className={styles.back} onClick={onClose}>返回实时</button>
      </div>
    </section>
  );
}
