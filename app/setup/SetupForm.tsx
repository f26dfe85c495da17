'use client';

import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'next/navigation';
import { http } from '@/app/http';

/** The first administrator of a new deployment, from the one-time link the server printed (issue 10). */
export default function SetupForm() {
  const token = useSearchParams().get('token') ?? '';
  const [form, setForm] = useState({ displayName: '', username: '', password: '', again: '' });
  const [error, setError] = useState(token ? '' : '缺少初始化令牌：请使用服务启动时打印的链接');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== form.again) return setError('两次输入的密码不一致');
    setBusy(true);
    setError('');
    try {
      await http.post('/api/v1/setup', { token, username: form.username, password: form.password, displayName: form.displayName }, { what: '初始化' });
      window.location.assign(new URL('/admin', window.location.origin));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="login-card" onSubmit={submit}>
      <h1>联动 · 创建首个系统管理员</h1>
      <label>
        姓名
        <input name="displayName" value={form.displayName} onChange={set('displayName')} required maxLength={40} />
      </label>
      <label>
        用户名
        <input name="username" autoComplete="username" value={form.username} onChange={set('username')} required pattern="[a-z0-9][a-z0-9._\-]{2,31}" />
      </label>
      <label>
        密码（至少 10 个字符）
        <input name="password" type="password" autoComplete="new-password" minLength={10} value={form.password} onChange={set('password')} required />
      </label>
      <label>
        再次输入密码
        <input name="again" type="password" autoComplete="new-password" minLength={10} value={form.again} onChange={set('again')} required />
      </label>
      {error && <p className="login-error" role="alert">{error}</p>}
      <button type="submit" disabled={busy || !token}>{busy ? '创建中…' : '创建并登录'}</button>
    </form>
  );
}
