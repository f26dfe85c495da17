import { Suspense } from 'react';
import SetupForm from './SetupForm';

export const metadata = { title: '初始化 · 联动' };

export default function SetupPage() {
  return (
    <main className="login-page">
      <Suspense>
        <SetupForm />
      </Suspense>
    </main>
  );
}
