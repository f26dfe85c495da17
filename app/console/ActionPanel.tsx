'use client';

import { useRef, useState } from 'react';
import { EVENT_ACTION_LABEL, type EventDetail } from '@/lib/contracts/events';
import { buildAction, EMPTY_FORM, isOneClick, isSendable, needsOf, newRequestKey, type ActionForm, type ConsoleAction } from './actions';
import { postJson } from './api';
import type { Reference } from './useReference';
import styles from './console.module.css';

type Props = {
  detail: EventDetail;
  reference: Reference;
  /** Someone else holds the lock: the server would refuse, so the buttons wait. */
  blocked: boolean;
  onDone: (detail: EventDetail) => void;
};

const NOTE_LABEL: Partial<Record<ConsoleAction, string>> = {
  return: '退回原因（必填）',
  reroute: '改派原因（必填）',
  handle: '处置情况（必填）',
  verify_fail: '不通过原因（必填）',
  answer: '答复内容（必填）',
};

/** Under a box whose words leave the building (issue 14): the resident reads the answer as written. */
const NOTE_HINT: Partial<Record<ConsoleAction, string>> = {
  answer: '答复将原文显示在群众的查询页面（凭查询码查看），请勿填写其他群众的个人信息。',
};

/** Destructive or final steps are drawn apart from the ones that move the event on. */
const CAUTION: ReadonlySet<ConsoleAction> = new Set(['return', 'merge', 'verify_fail']);

/**
 * Sends one step and reports the server's answer in words. A retry after a lost connection reuses
 * its request key, so the server acts once even if the first attempt did arrive; any answer from
 * the server ends the attempt, and the next click gets a fresh key.
 */
export function useSendAction(detail: EventDetail, onDone: (detail: EventDetail) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = useRef<{ body: string; key: string } | null>(null);
  // A second click in the same frame sees the old `busy`; the ref does not.
  const inFlight = useRef(false);

  async function send(action: ConsoleAction, values: ActionForm): Promise<boolean> {
    if (inFlight.current) return false;
    const draft = buildAction(action, values);
    if (!draft.ok) {
      setError(draft.message);
      return false;
    }
    const signature = JSON.stringify({ ...draft.body, id: detail.id });
    const key = retry.current?.body === signature ? retry.current.key : newRequestKey();
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const r = await postJson<EventDetail>(`/api/v1/events/${detail.id}/actions`, { ...draft.body, requestKey: key });
    inFlight.current = false;
    setBusy(false);
    retry.current = !r.ok && r.status === 0 ? { body: signature, key } : null;
    if (!r.ok) {
      setError(r.message);
      return false;
    }
    onDone(r.body);
    return true;
  }

  return { send, busy, error, setError };
}

/**
 * The steps the server says this viewer may take now (EventDetail.actions), nothing more: the
 * machine and the viewer's scope are the server's to decide. Steps with nothing to ask go at a
 * click; the rest open a small form.
 */
export default function ActionPanel({ detail, reference, blocked, onDone }: Props) {
  const [opened, setOpened] = useState<ConsoleAction | null>(null);
  const [form, setForm] = useState<ActionForm>(EMPTY_FORM);
  const { send, busy, error, setError } = useSendAction(detail, onDone);

  const actions = detail.actions.filter(isSendable);
  // Another desk may have moved the event on: a form for a step no longer offered closes.
  const open = opened && actions.includes(opened) ? opened : null;
  if (actions.length === 0) return null;

  function openForm(action: ConsoleAction) {
    setError(null);
    setOpened(action);
    setForm({
      ...EMPTY_FORM,
      department: action === 'assign' ? reference.defaultDepartment(detail.category, detail.subcategory) : '',
      into: action === 'merge' && detail.duplicateOf !== null ? String(detail.duplicateOf) : '',
    });
  }

  async function submit(action: ConsoleAction, values: ActionForm) {
    if (await send(action, values)) {
      setOpened(null);
      setForm(EMPTY_FORM);
    }
  }

  const click = (action: ConsoleAction) => (isOneClick(action) ? void submit(action, EMPTY_FORM) : openForm(action));
  const needs = open ? needsOf(open) : null;
  const otherDepartments = reference.departments.filter((d) => open !== 'reroute' || d.code !== detail.department);

  return (
    <section className={styles.actions} aria-label="处置操作">
      <div className={styles.actionButtons}>
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            data-testid={`action-${a}`}
            data-caution={CAUTION.has(a)}
            aria-pressed={open === a}
            disabled={busy || blocked}
            onClick={() => click(a)}
          >
            {EVENT_ACTION_LABEL[a]}
          </button>
        ))}
      </div>
      {open && needs && (
        <form
          className={styles.actionForm}
          noValidate
          data-testid="action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(open, form);
          }}
        >
          <h4>{EVENT_ACTION_LABEL[open]}</h4>
          {needs.department && (
            <label>
              {open === 'reroute' ? '改派到部门' : '交办部门'}
              <select value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value })} data-testid="department-select" required>
                <option value="">请选择部门</option>
                {otherDepartments.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
              </select>
            </label>
          )}
          {open === 'assign' && detail.villageName && (
            <label className={styles.check}>
              <input type="checkbox" checked={form.village} onChange={(e) => setForm({ ...form, village: e.target.checked })} data-testid="assign-village" />
              同时交办{detail.villageName}（村社干部协同处置）
            </label>
          )}
          {needs.departments && (
            <fieldset data-testid="departments-select">
              <legend>联合处置部门（各建一项子任务）</legend>
              {reference.departments.map((d) => (
                <label key={d.code} className={styles.check}>
                  <input
                    type="checkbox"
                    value={d.code}
                    checked={form.departments.includes(d.code)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        departments: e.target.checked ? [...form.departments, d.code] : form.departments.filter((c) => c !== d.code),
                      })
                    }
                    data-testid={`department-${d.code}`}
                  />
                  {d.name}
                </label>
              ))}
            </fieldset>
          )}
          {needs.into && (
            <label>
              合并到事件编号
              <input inputMode="numeric" value={form.into} onChange={(e) => setForm({ ...form, into: e.target.value })} data-testid="merge-into" />
            </label>
          )}
          <label>
            {NOTE_LABEL[open] ?? '说明（可选）'}
            <textarea
              rows={3}
              maxLength={2000}
              value={form.note}
              onChange={(e) => setForm({ ...form, note: e.target.value })}
              data-testid="note-input"
              required={needs.noteRequired}
            />
          </label>
          {NOTE_HINT[open] && <p className={styles.hint} data-testid="note-hint">{NOTE_HINT[open]}</p>}
          <div className={styles.formButtons}>
            <button type="submit" disabled={busy || blocked} data-testid="action-confirm">
              {busy ? '提交中…' : `确认${EVENT_ACTION_LABEL[open]}`}
            </button>
            <button type="button" onClick={() => { setOpened(null); setError(null); }} data-testid="action-cancel">取消</button>
          </div>
        </form>
      )}
      {error && <p className={styles.error} role="alert" data-testid="action-error">{error}</p>}
    </section>
  );
}
