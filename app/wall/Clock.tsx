'use client';

import { useEffect, useState } from 'react';
import styles from './wall.module.css';

// The wall shows command-room time whatever the machine's own time zone is set to.
const TIME_ZONE = 'Asia/Shanghai';
const dateFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long',
});
const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export default function Clock() {
  // Null on the server and first paint: the server's second is not the browser's (hydration).
  const [now, setNow] = useState<Date | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    // Re-aim at each whole second, so the display neither drifts nor skips over days of running.
    const tick = () => {
      setNow(new Date());
      timer = setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
    return () => clearTimeout(timer);
  }, []);

  return (
    <div className={styles.clock} aria-live="off">
      <span className={styles.clockDate}>{now ? dateFormat.format(now) : '\u00a0'}</span>
      <time className={styles.clockTime} dateTime={now?.toISOString()}>
        {now ? timeFormat.format(now) : '--:--:--'}
      </time>
    </div>
  );
}
