'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'next/navigation';
import type { Me } from '@/lib/contracts/auth';
import { http } from '@/app/http';
import { safeNext } from './safeNext';

interface DemoAccounts {
  password: string;
  accounts: { username: string; roleLabel: string }[];
}

export default function LoginForm() {
  const params = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(
    params.get('error') === 'display' ? '大屏令牌无效' : params.get('ended') === '1' ? '登录已结束（已退出、账号停用或角色变更），请重新登录' : '',
  );
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoAccounts | null>(null);

  useEffect(() => {
    http.get<DemoAccounts>('/api/v1/auth/demo-accounts').then(setDemo, () => setDemo(null));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const me = await http.post<Me>('/api/v1/auth/login', { username, password }, { what: '登录' });
      window.location.assign(safeNext(params.get('next'), window.location.origin) ?? me.home);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="login-card" onSubmit={submit}>
      <h1>联动 · 社会治理联动指挥中心</h1>
      <label>
        用户名
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        密码
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && <p className="login-error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? '登录中…' : '登录'}</button>
      {demo && (
        <details className="login-demo">
          <summary>演示账号（密码 {demo.password}）</summary>
          <ul>
            {demo.accounts.map((a) => (
              <li key={a.username}>
                <button type="button" onClick={() => { setUsername(a.username); setPassword(demo.password); }}>
                  {a.username}
                </button>{' '}
                {a.roleLabel}
              </li>
            ))}
          </ul>
        </details>
      )}
    </form>
  );
}
