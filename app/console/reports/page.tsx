import PlainPage from '@/app/components/PlainPage';
import ReportsScreen from './ReportsScreen';

export const metadata = { title: '考评报告 · 联动' };

/**
 * The monthly, quarterly and yearly report (issue 15 point 6; S13, S14): choose a period and a
 * scope, download the xlsx, open the printable page. The server guards the page (PERMISSIONS.generateReports)
 * and answers a station's leaders with their own station's report only.
 */
export default function ReportsPage() {
  return (
    <PlainPage title="考评报告" wide links={[{ href: '/console', label: '指挥台' }]}>
      <ReportsScreen />
    </PlainPage>
  );
}
