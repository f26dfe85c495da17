'use client';

import { useState } from 'react';
import { CITIZEN_KIND_LABEL, CitizenSubmissionV1, type CitizenReceiptV1 } from '@/lib/contracts/citizen';
import { device, issuesByField, submitRequest } from './api';
import { keyFor, remember, settle, type FormKind } from './store';

export type Submit = {
  sending: boolean;
  retrying: number;
  fields: Record<string, string>;
  general: string | null;
  receipt: CitizenReceiptV1 | null;
  send: (body: Record<string, unknown>, summary: string) => Promise<void>;
  reset: () => void;
};

/**
 * Sends one form. The body is checked by the contract first (the same schema the server parses
 * with), so a missing field is named before anything crosses a slow network; then it goes with the
 * form's idempotency key, kept on the phone until the receipt comes (store.ts).
 */
export function useSubmit(form: FormKind): Submit {
  const [sending, setSending] = useState(false);
  const [retrying, setRetrying] = useState(0);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<CitizenReceiptV1 | null>(null);

  async function send(body: Record<string, unknown>, summary: string) {
    const storage = window.localStorage;
    const unkeyed = { v: 1, deviceId: device(), ...body };
    const full = { ...unkeyed, idempotencyKey: keyFor(storage, form, unkeyed) };
    const checked = CitizenSubmissionV1.safeParse(full);
    if (!checked.success) {
      const local: Record<string, string> = {};
      for (const i of checked.error.issues) {
        const path = i.path.join('.');
        if (!local[path]) local[path] = i.message;
      }
      setFields(local);
      setGeneral('请按提示修改后再提交');
      return;
    }
    setSending(true);
    setFields({});
    setGeneral(null);
    setRetrying(0);
    try {
      const r = await submitRequest(full, setRetrying);
      settle(storage, form);
      remember(storage, { code: r.code, pin: r.pin, kindLabel: CITIZEN_KIND_LABEL[r.kind], summary: summary.slice(0, 24), at: r.createdAt });
      setReceipt(r);
    } catch (e) {
      const { fields: f, general: g } = issuesByField(e);
      setFields(f);
      setGeneral(g);
    } finally {
      setSending(false);
      setRetrying(0);
    }
  }

  const reset = () => {
    setReceipt(null);
    setFields({});
    setGeneral(null);
  };
  return { sending, retrying, fields, general, receipt, send, reset };
}
