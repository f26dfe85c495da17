import UserBar from '../components/UserBar';

export const metadata = { title: '指挥台 · 联动' };

export default function ConsolePage() {
  return (
    <main className="plain-page">
      <header>
        <h1>指挥台</h1>
        <UserBar />
      </header>
      <p>事件队列、紧急会商与联动处置将在此处理（建设中）。</p>
    </main>
  );
}
