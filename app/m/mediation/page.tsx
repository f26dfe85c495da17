import Shell from '../Shell';
import MediationForm from '../MediationForm';

export const metadata = { title: '申请调解 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="申请调解">
      <MediationForm />
    </Shell>
  );
}
