import { Suspense } from 'react';
import LoginForm from './LoginForm';

export const metadata = { title: '登录 · 联动' };

export default function LoginPage() {
  return (
    <main className="login-page">
      <Suspense>
        <LoginForm />
      </Suspense>
    </main>
  );
}
