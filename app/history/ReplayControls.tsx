'use client';

import { SPEEDS, shanghaiClock, type Clock, type Speed } from '@/lib/history/clock';
import styles from './history.module.css';

/** Play/pause, speed and the time slider of a replay; labelled for screen readers and the e2e specs. */
export default function ReplayControls({ clock, onToggle, onSeek, onSpeed }: {
  clock: Clock;
  onToggle: () => void;
  onSeek: (t: number) => void;
  onSpeed: (s: Speed) => void;
}) {
  return (
    <div className={styles.controls} role="group" aria-label="回放控制">
      <button type="button" className={styles.play} onClick={onToggle}>{clock.playing ? '暂停' : '播放'}</button>
      <div className={styles.speeds} role="radiogroup" aria-label="回放速度">
        {SPEEDS.map((s) => (
          <button key={s} type="button" role="radio" aria-checked={clock.speed === s} className={styles.speed} onClick={() => onSpeed(s)}>
            {s}×
          </button>
        ))}
      </div>
      <input
        className={styles.slider}
        type="range"
        aria-label="回放时间"
        aria-valuetext={shanghaiClock(clock.t)}
        min={clock.from}
        max={clock.to}
        step={1000}
        value={clock.t}
        onChange={(e) => onSeek(Number(e.target.value))}
      />
      <output className={styles.time} data-testid="replay-time">{shanghaiClock(clock.t)}</output>
    </div>
  );
}
