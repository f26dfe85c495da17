import Link from 'next/link';
import UserBar from '../components/UserBar';
import AuditScreen from './AuditScreen';
import styles from './audit.module.css';

export const metadata = { title: '审计日志 · 联动' };

/** Who did what, when (issue 10). The server lets only the administrator and the district roles open it. */
export default function AuditPage() {
  return (
    <main className="plain-page">
      <div className={styles.page}>
        <header className={styles.header}>
          <h1>审计日志</h1>
          <nav>
            <Link href="/console">指挥台</Link>
            <Link href="/wall">指挥大屏</Link>
            <UserBar />
          </nav>
        </header>
        <AuditScreen />
      </div>
    </main>
  );
}
