import { newKey } from '@/app/field/keys';
import { EventActionV1 } from '@/lib/contracts/events';
import type { EventAction } from '@/lib/events/machine';
import { RULES } from '@/lib/events/machine';

/** What an action asks for before it is sent; the rest of the contract is filled in here. */
export interface ActionNeeds {
  department: boolean;
  departments: boolean;
  into: boolean;
  /** The note is the reason and may not be empty (lib/events/machine). */
  noteRequired: boolean;
}

/** Actions the console can send: the contract's, which leaves out the citizen's rating. */
export type ConsoleAction = EventActionV1['action'];
const SENDABLE: ReadonlySet<string> = new Set<ConsoleAction>(EventActionV1.options.map((o) => o.shape.action.value));

export function isSendable(action: EventAction): action is ConsoleAction {
  return SENDABLE.has(action);
}

export function needsOf(action: ConsoleAction): ActionNeeds {
  return {
    department: action === 'assign' || action === 'reroute',
    departments: action === 'coordinate',
    into: action === 'merge',
    noteRequired: RULES[action].needsNote === true,
  };
}

/** Sent at a click, without a form: nothing to choose and nothing to explain. */
export function isOneClick(action: ConsoleAction): boolean {
  const n = needsOf(action);
  return !n.department && !n.departments && !n.into && !n.noteRequired;
}

export interface ActionForm {
  department: string;
  /** 交办: the event's village as co-handler too (S12). */
  village: boolean;
  departments: readonly string[];
  into: string;
  note: string;
}

export const EMPTY_FORM: ActionForm = { department: '', village: false, departments: [], into: '', note: '' };

export type Built = { ok: true; body: EventActionV1 } | { ok: false; message: string };

/**
 * A fresh key per click: a double click or a retry of the same click then acts once (the server
 * replays it). newKey works on a station's plain-http LAN too, where randomUUID does not exist.
 */
export function newRequestKey(): string {
  return `console-${newKey()}`;
}

const FIELD_LABEL: Record<string, string> = { department: '部门', departments: '协同部门', into: '合并目标', note: '说明' };

/**
 * The request body for `action` from the form, checked with the same contract the server parses
 * with, so the message a user sees for a missing reason is the server's own Chinese one. The
 * request key is added when it is sent (a retry keeps its key; a new click gets a new one).
 */
export function buildAction(action: ConsoleAction, form: ActionForm): Built {
  const n = needsOf(action);
  if (n.department && !form.department) return { ok: false, message: '请选择部门' };
  if (n.departments && form.departments.length === 0) return { ok: false, message: '请至少选择一个协同部门' };
  if (n.into && !/^\d+$/.test(form.into.trim())) return { ok: false, message: '请填写要合并到的事件编号' };
  const note = form.note.trim();
  const raw: Record<string, unknown> = { action };
  if (note || n.noteRequired) raw.note = note;
  if (n.department) raw.department = form.department;
  if (action === 'assign' && form.village) raw.village = true;
  if (n.departments) raw.departments = [...new Set(form.departments)];
  if (n.into) raw.into = Number(form.into.trim());
  const parsed = EventActionV1.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0];
  const field = FIELD_LABEL[String(issue?.path[0])] ?? '';
  return { ok: false, message: field && !/[\u4e00-\u9fff]/.test(issue.message) ? `${field}有误` : issue?.message ?? '填写有误' };
}
