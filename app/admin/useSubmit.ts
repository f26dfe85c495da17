import { useState } from 'react';
import { formErrors, NO_ERRORS, type FormErrors } from './api';

/**
 * A form that sends: busy while it does, the server's messages beside `fields` when refused.
 * `run` resolves whether the change went through, so the form decides what follows.
 */
export function useSubmit(): { errors: FormErrors; busy: boolean; run: (fields: readonly string[], send: () => Promise<unknown>) => Promise<boolean> } {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function run(fields: readonly string[], send: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await send();
      return true;
    } catch (err) {
      setErrors(formErrors(err, fields));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { errors, busy, run };
}
