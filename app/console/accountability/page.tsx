import { Suspense } from 'react';
import PlainPage from '@/app/components/PlainPage';
import AccountabilityScreen from './AccountabilityScreen';

export const metadata = { title: '追责问责 · 联动' };

/**
 * Accountability records (issue 15 point 4; S13): the list with filters, a new record by hand, from a
 * red-carded event (?event=<id>) or from a station's overdue list, and revoking. Made by the district;
 * a station's leaders read their station's.
 */
export default function AccountabilityPage() {
  return (
    <PlainPage title="追责问责" wide links={[{ href: '/console/reviews', label: '联动站验收' }, { href: '/console', label: '指挥台' }]}>
      <Suspense fallback={null}>
        <AccountabilityScreen />
      </Suspense>
    </PlainPage>
  );
}
