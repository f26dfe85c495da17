import AgreementSheet from './AgreementSheet';

export const metadata = { title: '人民调解协议书 · 联动' };

/** The printable 调解协议书 of one case (A4); its data comes from GET /api/v1/mediation/cases/:id/agreement. */
export default async function AgreementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AgreementSheet id={id} />;
}
