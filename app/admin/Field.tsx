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

/** A form's closing row: send (named for what it does, and while busy), cancel, and the message that belongs to no field. */
export function FormActions({ busy, label, busyLabel, onCancel, errors }: { busy: boolean; label: string; busyLabel: string; onCancel: () => void; errors: FormErrors }) {
  return (
    <>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? busyLabel : label}</button>
        <button type="button" className={styles.button} onClick={onCancel}>取消</button>
      </div>
      <FormError errors={errors} />
    </>
  );
}
