import Shell from '../Shell';
import ReportForm from '../ReportForm';

export const metadata = { title: '我要反映问题 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="我要反映问题">
      <ReportForm />
    </Shell>
  );
}
