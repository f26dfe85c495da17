import Shell from '../Shell';
import QuestionForm from '../QuestionForm';

export const metadata = { title: '政策咨询 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="政策咨询">
      <QuestionForm />
    </Shell>
  );
}
