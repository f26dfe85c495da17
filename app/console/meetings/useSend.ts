'use client';

import { useRef, useState } from 'react';
import { postJson } from '../api';
import { newRequestKey } from '../actions';

/**
 * Posts one user intent at a time. Each click gets a fresh request key, except the retry of a
 * post that never got an answer (network failure) with the very same body: that one keeps its
 * key, so the server replays the first answer instead of acting twice. A second click while a
 * post is in flight is ignored.
 */
export function useSend() {
  const retry = useRef<{ signature: string; key: string } | null>(null);
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send<T>(url: string, body: Record<string, unknown>): Promise<T | null> {
    if (inFlight.current) return null;
    const signature = `${url} ${JSON.stringify(body)}`;
    const key = retry.current?.signature === signature ? retry.current.key : newRequestKey();
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const r = await postJson<T>(url, { ...body, requestKey: key });
    inFlight.current = false;
    setBusy(false);
    retry.current = !r.ok && r.status === 0 ? { signature, key } : null;
    if (!r.ok) {
      setError(r.message);
      return null;
    }
    return r.body;
  }

  return { send, busy, error, setError };
}
