import PlainPage from '@/app/components/PlainPage';
import ReviewSheet from './ReviewSheet';

export const metadata = { title: '联动站验收清单 · 联动' };

/** One station's yearly checklist (issue 15 point 3; S14): evidence, scores, findings, follow-up tasks; prints on A4. */
export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <PlainPage title="联动站验收清单" wide links={[{ href: '/console/reviews', label: '联动站验收' }, { href: '/console', label: '指挥台' }]}>
      <ReviewSheet id={id} />
    </PlainPage>
  );
}
