import PlainPage from '@/app/components/PlainPage';
import CaseScreen from './CaseScreen';

export const metadata = { title: '调解案件 · 联动' };

/** One mediation case: parties, sessions, outcome and agreement, follow-up (issue 14; S4, S8). */
export default async function CasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <PlainPage title="调解案件" wide links={[{ href: '/console/mediation', label: '矛盾调解' }, { href: '/console', label: '指挥台' }]}>
      <CaseScreen id={id} />
    </PlainPage>
  );
}
