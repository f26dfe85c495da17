import Shell from '../Shell';
import FeedbackForm from '../FeedbackForm';

export const metadata = { title: '投诉建议 · 联动·群众服务' };

export default function Page() {
  return (
    <Shell title="投诉建议">
      <FeedbackForm />
    </Shell>
  );
}
