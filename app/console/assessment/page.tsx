import PlainPage from '@/app/components/PlainPage';
import ScoresScreen from './ScoresScreen';

export const metadata = { title: '考评得分 · 联动' };

/**
 * Scores of stations, department teams and staff (issue 15 point 2; S13 assessment, S14 star
 * stations and star staff). The server guards the page (district roles and the station's
 * leaders); the API answers a station's leaders with their own station only.
 */
export default function AssessmentPage() {
  return (
    <PlainPage
      title="考评得分"
      wide
      links={[
        { href: '/console', label: '指挥台' },
        { href: '/console/assessment/rules', label: '考评细则' },
        { href: '/console/reports', label: '月度报告' },
        { href: '/console/reviews', label: '建设验收' },
        { href: '/console/accountability', label: '追责问责' },
        { href: '/console/points', label: '积分' },
      ]}
    >
      <ScoresScreen />
    </PlainPage>
  );
}
