import PlainPage from '@/app/components/PlainPage';
import StationScreen from './StationScreen';

export const metadata = { title: '本站管理 · 联动' };

/**
 * A station's own master data for its chief and deputy chief (issue 10): the administrator's tabs,
 * bound to their station. The server guards /console pages; every change is checked again by the API.
 */
export default function StationPage() {
  return (
    <PlainPage title="本站管理" links={[{ href: '/console', label: '指挥台' }]}>
      <StationScreen />
    </PlainPage>
  );
}
