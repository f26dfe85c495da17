import Link from 'next/link';
import type { ReactNode } from 'react';
import s from './m.module.css';

/** Every /m page: a title bar with the way back home, and one column under it. */
export default function Shell({ title, back = true, children }: { title: string; back?: boolean; children: ReactNode }) {
  return (
    <div className={s.page}>
      <header className={s.header}>
        {back && (
          <Link href="/m" className={s.back} aria-label="返回首页">
            ‹ 首页
          </Link>
        )}
        <h1>{title}</h1>
      </header>
      <main className={s.main}>{children}</main>
    </div>
  );
}
