'use client';

import { useState, type FormEvent } from 'react';
import { DISTRICT_ROLES, ROLE_LABEL, type Role } from '@/lib/roles';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { useSubmit } from './useSubmit';
import { Field, FieldError, FormActions, FormError } from './Field';
import type { AccountRow, PersonRow } from './masterTypes';
import styles from './admin.module.css';

/** One account of a person: its state, and the three actions that each end all its sessions. */
export function AccountLine({ account: a, reload }: { account: AccountRow; reload: () => void }) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [note, setNote] = useState('');
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(path: string, method: 'POST' | 'PATCH', body: unknown, done: (r: { sessionsEnded: number }) => string) {
    setBusy(true);
    setErrors(NO_ERRORS);
    setNote('');
    try {
      const r = await (method === 'PATCH' ? api.patch : api.post)<{ sessionsEnded: number }>(path, body);
      setNote(done(r));
      setResetting(false);
      setPassword('');
      reload();
    } catch (err) {
      setErrors(formErrors(err, ['disabled', 'password']));
    } finally {
      setBusy(false);
    }
  }

  function toggle() {
    if (!a.disabled && !window.confirm(`停用账号 ${a.username} 后，此人立即被登出且不能再登录。确定停用？`)) return;
    void send(`/api/v1/accounts/${a.id}`, 'PATCH', { disabled: !a.disabled }, (r) => `${a.disabled ? '已启用' : '已停用'}，结束 ${r.sessionsEnded} 个会话`);
  }

  function reset(e: FormEvent) {
    e.preventDefault();
    void send(`/api/v1/accounts/${a.id}/password`, 'POST', { password }, (r) => `密码已重置，结束 ${r.sessionsEnded} 个会话`);
  }

  return (
    <div className={styles.account} data-account={a.username}>
      <span className={styles.code}>{a.username}</span> {ROLE_LABEL[a.role]}{' '}
      {a.disabled ? <span className={styles.badge} data-kind="retired">已停用</span> : <span className={styles.badge}>启用</span>}
      <div className={styles.actions}>
        <button type="button" className={a.disabled ? styles.button : `${styles.button} ${styles.danger}`} disabled={busy} onClick={toggle}>{a.disabled ? '启用' : '停用'}</button>
        <button type="button" className={styles.button} disabled={busy} onClick={() => setResetting((r) => !r)}>重置密码</button>
        <button type="button" className={styles.button} disabled={busy} onClick={() => void send(`/api/v1/accounts/${a.id}/sign-out`, 'POST', {}, (r) => `已退出 ${r.sessionsEnded} 个登录`)}>退出所有登录</button>
      </div>
      {resetting && (
        <form className={styles.prefixed} onSubmit={reset}>
          <input className={styles.input} type="password" autoComplete="new-password" aria-label={`${a.username} 新密码`} placeholder="新密码（至少 10 个字符）" value={password} aria-invalid={!!errors.fields.password} onChange={(e) => setPassword(e.target.value)} required />
          <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>确定</button>
        </form>
      )}
      <FieldError message={errors.fields.password ?? errors.fields.disabled} />
      <FormError errors={errors} />
      {note && <span className={styles.note} role="status">{note}</span>}
    </div>
  );
}

const FIELDS = ['username', 'password', 'role', 'personId'];

/** An account for a person; its role is one of theirs, or (the administrator's call) a district role. */
export function AccountForm({ person, district, onDone, onCancel }: { person: PersonRow; district: boolean; onDone: () => void; onCancel: () => void }) {
  const choices: Role[] = [...person.roles.map((r) => r.role), ...(district ? DISTRICT_ROLES : [])];
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role | ''>(choices[0] ?? '');
  const { errors, busy, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await run(FIELDS, () => api.post('/api/v1/accounts', { personId: person.id, username, password, role }))) onDone();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={`为 ${person.name} 开通账号`}>
      <h3>为 {person.name} 开通账号</h3>
      <Field label="用户名" error={errors.fields.username}>
        <input className={styles.input} name="username" autoComplete="off" value={username} aria-invalid={!!errors.fields.username} onChange={(e) => setUsername(e.target.value)} required />
      </Field>
      <Field label="初始密码（至少 10 个字符）" error={errors.fields.password}>
        <input className={styles.input} name="password" type="password" autoComplete="new-password" value={password} aria-invalid={!!errors.fields.password} onChange={(e) => setPassword(e.target.value)} required />
      </Field>
      <Field label="账号角色" error={errors.fields.role ?? errors.fields.personId}>
        <select className={styles.select} name="role" value={role} aria-invalid={!!errors.fields.role} onChange={(e) => setRole(e.target.value as Role)} required>
          {choices.length === 0 && <option value="">此人尚无角色：请先编辑人员</option>}
          {choices.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
        </select>
      </Field>
      <FormActions busy={busy} label="开通" busyLabel="开通中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
