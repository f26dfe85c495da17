import PlainPage from '@/app/components/PlainPage';
import RulesScreen from './RulesScreen';

export const metadata = { title: '考评细则 · 联动' };

/**
 * 考评细则 (issue 15 point 1; S13 assessment rules, S14 star bands): a version per year, drafted
 * and made active by the district (PERMISSIONS.editAssessment), read by the station's leaders.
 */
export default function AssessmentRulesPage() {
  return (
    <PlainPage title="考评细则" wide links={[{ href: '/console', label: '指挥台' }, { href: '/console/assessment', label: '考评得分' }]}>
      <RulesScreen />
    </PlainPage>
  );
}
