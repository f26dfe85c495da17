import Link from 'next/link';
import type { ReactNode } from 'react';
import UserBar from './UserBar';
import styles from './plainPage.module.css';

/** The shell of the desk pages (系统管理, 审计日志, 本站管理, 会商与联查): a title, links back, who is signed in. */
export default function PlainPage({ title, links, wide = false, children }: { title: string; links: { href: string; label: string }[]; wide?: boolean; children: ReactNode }) {
  return (
    <main className="plain-page">
      <div className={wide ? `${styles.page} ${styles.wide}` : styles.page}>
        <header className={styles.header}>
          <h1>{title}</h1>
          <nav>
            {links.map((l) => <Link key={l.href} href={l.href}>{l.label}</Link>)}
            <UserBar />
          </nav>
        </header>
        {children}
      </div>
    </main>
  );
}
