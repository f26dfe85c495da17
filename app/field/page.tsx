import UserBar from '../components/UserBar';

export const metadata = { title: '网格员 · 联动' };

export default function FieldPage() {
  return (
    <main className="plain-page">
      <header>
        <h1>我的任务</h1>
        <UserBar />
      </header>
      <p>任务、上报与核查将在此处理（建设中）。</p>
    </main>
  );
}
