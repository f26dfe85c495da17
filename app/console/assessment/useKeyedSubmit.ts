'use client';

import { useRef, useState } from 'react';
import { HttpError } from '@/app/http';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { newKey } from '@/app/field/keys';

/**
 * A form's POST with its request key: a new key for each new intent, the same one when the very
 * same body is sent again after no answer came (the server then replays the first answer rather
 * than adjusting twice). Refusals come back by field, as the 400's issues name them (`read` when a
 * form places them its own way).
 */
export function useKeyedSubmit(shown: readonly string[], read: (err: unknown) => FormErrors = (err) => formErrors(err, shown)) {
  const retry = useRef<{ signature: string; key: string } | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  /** The answer's body wrapped, so an empty 2xx still reads as success; null when refused. */
  async function submit<T>(url: string, body: Record<string, unknown>): Promise<{ body: T } | null> {
    if (busy) return null;
    const signature = `${url} ${JSON.stringify(body)}`;
    const key = retry.current?.signature === signature ? retry.current.key : `console-${newKey()}`;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const answer = await api.post<T>(url, { ...body, requestKey: key });
      retry.current = null;
      return { body: answer };
    } catch (err) {
      retry.current = err instanceof HttpError && err.status === 0 ? { signature, key } : null;
      setErrors(read(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  return { submit, errors, busy, setErrors };
}
