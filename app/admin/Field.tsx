import type { ReactNode } from 'react';
import type { FormErrors } from './api';
import styles from './admin.module.css';

/** A labelled control with the server's message for it underneath. */
export function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className={styles.field}>
      <span>{label}</span>
      {children}
      <FieldError message={error} />
    </label>
  );
}

export function FieldError({ message }: { message?: string }) {
  return message ? <span className={styles.fieldError} role="alert">{message}</span> : null;
}

export function FormError({ errors }: { errors: FormErrors }) {
  return errors.message ? <p className={styles.formError} role="alert">{errors.message}</p> : null;
}

/** A number box's value: anything but a whole number goes as typed, and an empty box is not zero, so the server names the mistake. */
export function numeric(text: string): number | string {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : text;
}
