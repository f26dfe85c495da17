import PlainPage from '@/app/components/PlainPage';
import ReviewsScreen from './ReviewsScreen';

export const metadata = { title: '联动站验收 · 联动' };

/**
 * The towns' yearly reviews of the stations and their follow-up tasks (issue 15 point 3; S14). The
 * server guards /console pages; the API answers the district everything and a station's leaders their own.
 */
export default function ReviewsPage() {
  return (
    <PlainPage title="联动站验收" wide links={[{ href: '/console/accountability', label: '追责问责' }, { href: '/console', label: '指挥台' }]}>
      <ReviewsScreen />
    </PlainPage>
  );
}
