import PlainPage from '@/app/components/PlainPage';
import PointsScreen from './PointsScreen';

export const metadata = { title: '积分 · 联动' };

/**
 * Rewards (积分; issue 15 point 5, S14): a station's leaderboard, a person's or a resident's
 * ledger, redemptions and the points table. The server guards the page (server/http/pages.ts) and
 * every answer keeps to the viewer's reach.
 */
export default function PointsPage() {
  return (
    <PlainPage title="积分" wide links={[{ href: '/console', label: '指挥台' }]}>
      <PointsScreen />
    </PlainPage>
  );
}
