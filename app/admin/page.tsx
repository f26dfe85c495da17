import Link from 'next/link';
import UserBar from '../components/UserBar';
import AdminScreen from './AdminScreen';
import styles from './admin.module.css';

export const metadata = { title: '系统管理 · 联动' };

/** The administrator's desk (issue 4): taxonomy, time limits and holidays are data edited here. The server guards /admin for admins. */
export default function AdminPage() {
  return (
    <main className="plain-page">
      <div className={styles.page}>
        <header className={styles.header}>
          <h1>系统管理</h1>
          <nav>
            <Link href="/console">指挥台</Link>
            <Link href="/wall">指挥大屏</Link>
            <UserBar />
          </nav>
        </header>
        <AdminScreen />
      </div>
    </main>
  );
}
