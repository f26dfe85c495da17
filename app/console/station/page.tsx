import Link from 'next/link';
import UserBar from '@/app/components/UserBar';
import StationScreen from './StationScreen';
import styles from '@/app/admin/admin.module.css';

export const metadata = { title: '本站管理 · 联动' };

/**
 * A station's own master data for its chief and deputy chief (issue 10): the administrator's tabs,
 * bound to their station. The server guards /console pages; every change is checked again by the API.
 */
export default function StationPage() {
  return (
    <main className="plain-page">
      <div className={styles.page}>
        <header className={styles.header}>
          <h1>本站管理</h1>
          <nav>
            <Link href="/console">指挥台</Link>
            <UserBar />
          </nav>
        </header>
        <StationScreen />
      </div>
    </main>
  );
}
