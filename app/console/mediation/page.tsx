import PlainPage from '@/app/components/PlainPage';
import MediationScreen from './MediationScreen';

export const metadata = { title: '矛盾调解 · 联动' };

/**
 * The station's mediation cases and its registers of studios and mediators (issue 14; S4, S8).
 * The server guards /console pages; the API answers only within the viewer's reach and masks the
 * parties for anyone but the case's mediator and the station's leaders.
 */
export default function MediationPage() {
  return (
    <PlainPage title="矛盾调解" wide links={[{ href: '/console', label: '指挥台' }]}>
      <MediationScreen />
    </PlainPage>
  );
}
