import PlainPage from '@/app/components/PlainPage';
import WarningsConsole from './WarningsConsole';

export const metadata = { title: '风险预警 · 联动' };

/**
 * S9's early warnings (issue 13): the list and a map; the deputy chief acknowledges one and turns
 * it into an agenda item of the next consultation or a joint inspection task. The server guards
 * /console pages; the API answers only within the viewer's reach.
 */
export default function WarningsPage() {
  return (
    <PlainPage title="风险预警" wide links={[{ href: '/console', label: '指挥台' }]}>
      <WarningsConsole />
    </PlainPage>
  );
}
