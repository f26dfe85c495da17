import PlainPage from '../components/PlainPage';
import AdminScreen from './AdminScreen';

export const metadata = { title: '系统管理 · 联动' };

/** The administrator's desk (issue 4): taxonomy, time limits and holidays are data edited here. The server guards /admin for admins. */
export default function AdminPage() {
  return (
    <PlainPage title="系统管理" links={[{ href: '/console', label: '指挥台' }, { href: '/wall', label: '指挥大屏' }]}>
      <AdminScreen />
    </PlainPage>
  );
}
