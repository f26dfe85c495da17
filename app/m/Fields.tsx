'use client';

import type { ReactNode } from 'react';
import s from './m.module.css';

/** A labelled control with its own error line; `name` is the contract's field path (and the test id). */
export function Field({ label, name, required, error, hint, children }: { label: string; name: string; required?: boolean; error?: string; hint?: string; children: ReactNode }) {
  return (
    <label className={s.field}>
      <span className={`${s.label} ${required ? s.required : ''}`}>{label}</span>
      {hint && <span className={s.hint}>{hint}</span>}
      {children}
      {error && <span className={s.fieldError} data-testid={`m-error-${name}`}>{error}</span>}
    </label>
  );
}

export type Contact = { name: string; phone: string };
export const NO_CONTACT: Contact = { name: '', phone: '' };

export function contactBody(c: Contact): { name?: string; phone?: string } {
  return { ...(c.name.trim() ? { name: c.name.trim() } : {}), ...(c.phone.trim() ? { phone: c.phone.trim() } : {}) };
}

/** Optional name and phone: only for the station to call back; never on a wall or a public page. */
export function ContactFields({ value, onChange, fields }: { value: Contact; onChange: (c: Contact) => void; fields: Record<string, string> }) {
  return (
    <>
      <Field label="您的称呼（可不填）" name="name" error={fields.name}>
        <input className={s.input} value={value.name} maxLength={50} onChange={(e) => onChange({ ...value, name: e.target.value })} autoComplete="name" data-testid="m-name" />
      </Field>
      <Field label="联系电话（可不填）" name="phone" error={fields.phone} hint="留下电话，可凭电话和查询密码查询进度；不会公开">
        <input className={s.input} value={value.phone} inputMode="tel" maxLength={20} onChange={(e) => onChange({ ...value, phone: e.target.value })} autoComplete="tel" data-testid="m-phone" />
      </Field>
    </>
  );
}

export function SubmitBar({ sending, retrying, general, label = '提交' }: { sending: boolean; retrying: number; general: string | null; label?: string }) {
  return (
    <>
      {general && <p className={s.error} role="alert" data-testid="m-error">{general}</p>}
      {retrying > 0 && <p className={s.notice} role="status">网络不稳定，正在第 {retrying} 次重试（不会重复提交）…</p>}
      <button type="submit" className={`${s.btn} ${s.primary}`} disabled={sending} data-testid="m-submit">
        {sending ? '提交中…' : label}
      </button>
    </>
  );
}
