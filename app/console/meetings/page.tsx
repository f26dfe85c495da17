import PlainPage from '@/app/components/PlainPage';
import MeetingsScreen from './MeetingsScreen';

export const metadata = { title: '会商与联查 · 联动' };

/**
 * The station chief's and deputy chief's calendar of joint work (S10, S11): the month's regular
 * joint-duty meetings, and the joint inspections the month requires and those done. The server
 * guards /console pages; each post is checked again by the API.
 */
export default function MeetingsPage() {
  return (
    <PlainPage title="会商与联查" links={[{ href: '/console', label: '指挥台' }]}>
      <MeetingsScreen />
    </PlainPage>
  );
}
