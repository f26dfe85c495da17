import Link from 'next/link';
import UserBar from '@/app/components/UserBar';
import MeetingsScreen from './MeetingsScreen';
import styles from './meetings.module.css';

export const metadata = { title: '会商与联查 · 联动' };

/**
 * The station chief's and deputy chief's calendar of joint work (S10, S11): the month's regular
 * joint-duty meetings, and the joint inspections the month requires and those done. The server
 * guards /console pages; each post is checked again by the API.
 */
export default function MeetingsPage() {
  return (
    <main className="plain-page">
      <div className={styles.page}>
        <header className={styles.header}>
          <h1>会商与联查</h1>
          <nav>
            <Link href="/console">指挥台</Link>
            <UserBar />
          </nav>
        </header>
        <MeetingsScreen />
      </div>
    </main>
  );
}
