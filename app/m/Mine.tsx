'use client';

import Link from 'next/link';
import { useMemo, useSyncExternalStore } from 'react';
import { formatCode } from '@/lib/contracts/citizen';
import { MINE, mine } from './store';
import s from './m.module.css';

// Another tab of this phone may add a receipt; the list follows it.
function subscribe(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** 我的诉求: the codes this phone received, read from the phone's storage after hydration (the server has none). */
export default function Mine() {
  const raw = useSyncExternalStore(subscribe, () => window.localStorage.getItem(MINE), () => null);
  const list = useMemo(() => (raw === null ? null : mine(window.localStorage)), [raw]);
  if (!list?.length) return null;
  return (
    <section className={s.card} aria-labelledby="mine-title">
      <h2 id="mine-title">我的诉求</h2>
      <ul className={s.mine} data-testid="m-mine">
        {list.map((e) => (
          <li key={e.code}>
            <Link href={`/m/track/${e.code}`}>
              <span>
                <span className={s.mono}>{formatCode(e.code)}</span> · {e.kindLabel}
              </span>
              <small>
                {e.summary} · {new Date(e.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' })}
              </small>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
