import ConsultationRecord from './ConsultationRecord';

export const metadata = { title: '会商纪要 · 联动' };

/** The printable record (纪要) of one consultation; read in the browser with the session cookie. */
export default async function ConsultationRecordPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ConsultationRecord id={id} />;
}
