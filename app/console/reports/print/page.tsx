import PrintReport from './PrintReport';

export const metadata = { title: '考评报告（打印） · 联动' };

/** The report for a station's notice board, on A4 (issue 15 point 6): the same figures as the xlsx, from GET /api/v1/reports/:period.json. */
export default async function ReportPrintPage({ searchParams }: { searchParams: Promise<{ period?: string; scope?: string }> }) {
  const { period, scope } = await searchParams;
  return <PrintReport period={period ?? ''} scope={scope ?? ''} />;
}
