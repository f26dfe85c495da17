import PlainPage from '@/app/components/PlainPage';
import HistoryScreen from './HistoryScreen';

export const metadata = { title: '轨迹回放 · 联动' };

/**
 * History playback (issue 12, part 5): a unit's, a team's or a station's traces over a time range,
 * with the incidents and dispatches of that range, and "where was everyone at 14:05". The server
 * guards /console pages; every read is scoped and audited by the API.
 */
export default function HistoryPage() {
  return (
    <PlainPage title="轨迹回放" links={[{ href: '/console', label: '指挥台' }]} wide>
      <HistoryScreen />
    </PlainPage>
  );
}
