'use client';

import { useState, type FormEvent } from 'react';
import { formErrors, NO_ERRORS, type FormErrors } from './api';
import { Field, FormError } from './Field';
import SecretOnce from './SecretOnce';
import styles from './admin.module.css';

/**
 * Issuing a secret: a name and one choice of what it is for; the answer is shown once. `fields`
 * names the body fields the choice stands for, so the server's message lands beside it.
 */
export default function IssueForm({ title, choice, fields, issue, onIssued }: {
  title: string;
  choice: { label: string; options: { value: string; label: string }[] };
  fields: string[];
  /** Sends the request; answers the text to show once. */
  issue: (name: string, choice: string) => Promise<string>;
  onIssued: () => void;
}) {
  const [name, setName] = useState('');
  const [value, setValue] = useState(choice.options[0]?.value ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      setSecret(await issue(name, current));
      setName('');
      onIssued();
    } catch (err) {
      setErrors(formErrors(err, ['name', ...fields]));
    } finally {
      setBusy(false);
    }
  }

  // The options can change under the form (a unit added): a value no longer offered falls back to the first.
  const current = choice.options.some((o) => o.value === value) ? value : choice.options[0]?.value ?? '';
  const choiceError = fields.map((f) => errors.fields[f]).find(Boolean);
  return (
    <>
      {secret && <SecretOnce label={`${title}：`} value={secret} onClose={() => setSecret('')} />}
      <form className={styles.form} onSubmit={submit} aria-label={title}>
        <Field label="名称" error={errors.fields.name}>
          <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label={choice.label} error={choiceError}>
          <select className={styles.select} name="choice" value={current} aria-invalid={!!choiceError} onChange={(e) => setValue(e.target.value)}>
            {choice.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </Field>
        <div className={styles.formActions}>
          <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '签发中…' : title}</button>
        </div>
        <FormError errors={errors} />
      </form>
    </>
  );
}
