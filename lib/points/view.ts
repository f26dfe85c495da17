import { RedemptionV1 } from '../contracts/points';

/*
 * How points read on the screens (issue 15 point 5, S14): the console's 积分 page and drawer
 * section, the gridder's 积分 card on /field and the resident's on /m. Plain functions, so the
 * wording and the form's checks are tested without a browser.
 */

/** '+2', '−2' (a true minus sign: it lines up with the plus in a column), '0'. */
export function signed(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `−${Math.abs(points)}`;
  return '0';
}

/** What kind of entry it is, for its colour and its word. */
export type EntryKind = 'earned' | 'clawback' | 'redeemed';

export function entryKind(e: { points: number; redemptionId: number | null }): EntryKind {
  if (e.redemptionId !== null) return 'redeemed';
  return e.points < 0 ? 'clawback' : 'earned';
}

export const ENTRY_KIND_LABEL: Record<EntryKind, string> = { earned: '获得', clawback: '扣回', redeemed: '兑换' };

/**
 * A resident's entry in plain words. The ledger's own reason names the event and, for a clawback,
 * quotes the leader's note: neither is for the public page (another request's number, a staff
 * remark), so the resident reads the rule's name, or what they redeemed.
 */
export function citizenEntryLabel(e: { points: number; ruleLabel: string | null; redemptionId: number | null; reason: string }): string {
  if (e.redemptionId !== null) return e.reason.startsWith('积分兑换') ? e.reason : `积分兑换：${e.reason}`;
  const rule = e.ruleLabel ?? '积分';
  return e.points < 0 ? `${rule}（查实为虚假上报，扣回）` : rule;
}

/** The console's link to an event: the console opens /console?event=<id> in its drawer. */
export const eventHref = (eventId: number): string => `/console?event=${eventId}`;

/** What the 兑换 form holds, as typed. */
export interface RedeemDraft {
  target: 'person' | 'citizen';
  personId: string;
  citizenCode: string;
  item: string;
  points: string;
}

export const EMPTY_REDEEM: RedeemDraft = { target: 'person', personId: '', citizenCode: '', item: '', points: '' };

const EMPTY_NUMBER = { personId: '请填写人员编号（数字）', points: '请填写兑换分值（整数）' } as const;

export type RedeemCheck = { ok: true; body: RedemptionV1 } | { ok: false; fields: Partial<Record<'personId' | 'citizenCode' | 'item' | 'points', string>> };

/**
 * The form's body, checked by the route's own schema before it is sent: a field the server would
 * refuse is named beside its input at once. The server checks again (and the balance, which only
 * it knows).
 */
export function redemptionBody(d: RedeemDraft, requestKey: string): RedeemCheck {
  const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim()));
  const candidate = {
    ...(d.target === 'person' ? { personId: num(d.personId) } : { citizenCode: d.citizenCode.replace(/[\s-]/g, '') }),
    item: d.item,
    points: num(d.points),
    requestKey,
  };
  const parsed = RedemptionV1.safeParse(candidate);
  if (parsed.success) return { ok: true, body: parsed.data };
  const fields: Partial<Record<'personId' | 'citizenCode' | 'item' | 'points', string>> = {};
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? '');
    if (name === 'personId' || name === 'citizenCode' || name === 'item' || name === 'points') {
      // A number field left empty or not a number reads as NaN to zod; the user sees what to type.
      const typed = (candidate as Record<string, unknown>)[name];
      const message = Number.isNaN(typed) ? EMPTY_NUMBER[name as 'personId' | 'points'] : issue.message;
      fields[name] ??= message;
    }
  }
  if (Object.keys(fields).length === 0) fields.item = parsed.error.issues[0]?.message ?? '填写内容有误';
  return { ok: false, fields };
}

/** Turns the server's issue paths ('body.points') into the form's field names, as above. */
export function redeemFieldsOf(issues: readonly { path: string; message: string }[]): { fields: Partial<Record<'personId' | 'citizenCode' | 'item' | 'points', string>>; rest: string[] } {
  const fields: Partial<Record<'personId' | 'citizenCode' | 'item' | 'points', string>> = {};
  const rest: string[] = [];
  for (const i of issues) {
    const name = i.path.replace(/^body\./, '');
    if (name === 'personId' || name === 'citizenCode' || name === 'item' || name === 'points') fields[name] ??= i.message;
    else rest.push(i.message);
  }
  return { fields, rest };
}

/**
 * Which parts of the drawer's 考评 section a viewer gets (S13, S14): the false mark for those who
 * manage points, the two flags for the district, the accountability link on a red card for those
 * who may open a record.
 */
export function assessmentParts(p: { managePoints: boolean; flagEvents: boolean; manageAccountability: boolean; card: 'none' | 'yellow' | 'red' }): {
  markFalse: boolean;
  flags: boolean;
  accountability: boolean;
} {
  return { markFalse: p.managePoints, flags: p.flagEvents, accountability: p.manageAccountability && p.card === 'red' };
}
