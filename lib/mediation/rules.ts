import { DISPUTE_KIND_LABEL } from '@/lib/contracts/citizen';
import { OUTCOME_LABEL, type CaseCloseV1, type Outcome, type PartyV1 } from '@/lib/contracts/mediation';
import { maskIdNumber, maskName, maskPhone } from '@/lib/access/mask';
import type { Role } from '@/lib/roles';

/*
 * The rules of a mediation case (issue 14 point 5; S4, S8) as plain functions: limits, the
 * follow-up date, what closing needs, who sees the parties in clear, the resident's public notes.
 */

const DAY_MS = 86_400_000;
const TZ = 'Asia/Shanghai';

/** 人民调解法第二十八条之意：调解一般在 30 日内终结; the days come from mediation_limits (data), this is the fallback. */
export const DEFAULT_LIMIT_DAYS = 30;

export function dueAt(openedAt: Date, days: number): Date {
  return new Date(openedAt.getTime() + days * DAY_MS);
}

/** The follow-up visit (回访) a month after the case ends, the same day of the next month in Shanghai (clamped to its last day). */
export function followupDueAt(closedAt: Date): Date {
  const local = new Date(closedAt.getTime() + 8 * 3600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const target = Date.UTC(y, m, Math.min(local.getUTCDate(), last), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds());
  return new Date(target - 8 * 3600_000);
}

export interface Issue {
  path: string;
  message: string;
}

/** What a close is missing: an agreement's terms for 达成协议, where it went for 转诉讼或其他机关. Empty when it may close. */
export function closeIssues(input: Pick<CaseCloseV1, 'outcome' | 'agreement' | 'referredTo'>): Issue[] {
  const issues: Issue[] = [];
  if (input.outcome === 'success' && !input.agreement?.terms?.trim())
    issues.push({ path: 'body.agreement.terms', message: '达成协议须填写协议内容' });
  if (input.outcome === 'referred' && !input.referredTo?.trim())
    issues.push({ path: 'body.referredTo', message: '须写明转往的法院或机关' });
  return issues;
}

/**
 * Parties' phones, addresses and ID numbers in clear only for the case's mediator and the
 * station's two leaders (S7); others who may see the case get them masked (least privilege, as
 * lib/access/mask does for key persons). Names stay, masked the same way, so the list reads.
 */
export interface PartyViewer {
  role: Role;
  stationId: number | null;
  personId: number | null;
}

export function seesPartiesInClear(v: PartyViewer, c: { stationId: number; mediatorPersonId: number | null }): boolean {
  if ((v.role === 'station_chief' || v.role === 'deputy_chief') && v.stationId === c.stationId) return true;
  return v.role === 'mediator' && v.personId !== null && v.personId === c.mediatorPersonId;
}

export function maskParty(p: PartyV1): PartyV1 {
  return {
    name: maskName(p.name),
    side: p.side,
    ...(p.phone ? { phone: maskPhone(p.phone) } : {}),
    ...(p.address ? { address: '（已隐去）' } : {}),
    ...(p.idNumber ? { idNumber: maskIdNumber(p.idNumber) } : {}),
  };
}

/**
 * Free text about a case (the summary) for a viewer who sees the parties masked: each party's
 * name, phone and ID number masked as maskParty does, and any other run of 7 or more digits (a
 * phone or ID number the parties were not recorded with) masked too (review M5). Longest names
 * first, so 王大明 is masked before a party called 王大.
 */
export function maskText(text: string, parties: readonly PartyV1[]): string {
  let out = text;
  for (const id of parties.flatMap((p) => (p.idNumber ? [p.idNumber] : []))) out = out.split(id).join(maskIdNumber(id));
  // Full-width digits too (a phone typed on a Chinese keyboard); NFKC on the match only, so the text's own punctuation stays.
  out = out.replace(/[0-9０-９]{17}[0-9０-９Xx]/g, (m) => maskIdNumber(m.normalize('NFKC')));
  out = out.replace(/[0-9０-９](?:[\s.-]?[0-9０-９]){6,}/g, (m) => maskPhone(m.normalize('NFKC').replace(/[\s.-]/g, '')));
  const names = [...new Set(parties.map((p) => p.name))].filter((n) => [...n].length > 1).sort((a, b) => b.length - a.length);
  for (const n of names) out = out.split(n).join(maskName(n));
  // 王大明 is often 大明 in the facts: a given name of two or more characters is masked alone too.
  const given = names.map((n) => [...n].slice(1).join('')).filter((g) => [...g].length > 1).sort((a, b) => b.length - a.length);
  for (const g of given) out = out.split(g).join('*');
  return out;
}

/** Reasonable dates for a step (review L2): a session within a year either side, a follow-up after the close and not in the future. */
const YEAR_MS = 366 * DAY_MS;
/** Clocks of phones and the server differ a little. */
export const CLOCK_SLACK_MS = 5 * 60_000;

export function sessionAtIssue(at: Date, openedAt: Date, now: Date): Issue | null {
  if (at.getTime() < openedAt.getTime() - YEAR_MS) return { path: 'body.at', message: '调解时间不能早于立案前一年' };
  if (at.getTime() > now.getTime() + YEAR_MS) return { path: 'body.at', message: '调解时间不能晚于一年以后' };
  return null;
}

export function followupAtIssue(at: Date, closedAt: Date, now: Date): Issue | null {
  if (at.getTime() < closedAt.getTime()) return { path: 'body.at', message: '回访时间不能早于结案时间' };
  if (at.getTime() > now.getTime() + CLOCK_SLACK_MS) return { path: 'body.at', message: '回访时间不能晚于现在' };
  return null;
}

export const disputeLabel = (kind: string): string => (DISPUTE_KIND_LABEL as Record<string, string>)[kind] ?? kind;

/** 12月8日 14:00 in Shanghai. */
export function shanghaiMinute(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** 2026年12月8日 in Shanghai: the agreement's date line. */
export function shanghaiDate(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.year}年${p.month}月${p.day}日`;
}

/** 调〔2026〕12号: the year it was opened (Shanghai) and its id. */
export function caseNumber(id: number, openedAt: Date): string {
  const year = new Intl.DateTimeFormat('en', { timeZone: TZ, year: 'numeric' }).format(openedAt);
  return `调〔${year}〕${id}号`;
}

/*
 * The notes a resident reads on the tracking page (event_log action 'mediation'). Plain words, and
 * never a person's name (S14: the public sees only its own request; the other party is a person too):
 * a place and a time, a studio's name, an outcome.
 */
export const PUBLIC_NOTE = {
  opened: (studio: string | null) => (studio ? `已受理调解申请，由${studio}负责调解` : '已受理调解申请，将安排调解'),
  assigned: (studio: string | null) => (studio ? `已安排调解员，调解地点：${studio}` : '已安排调解员'),
  session: (at: Date, place: string, now: Date) =>
    at.getTime() > now.getTime() ? `已安排调解：${shanghaiMinute(at)}，${place}` : `已进行调解：${shanghaiMinute(at)}，${place}`,
  closed: (outcome: Outcome) => `调解结束：${OUTCOME_LABEL[outcome]}`,
  followup: () => '已回访，了解协议履行情况',
  /**
   * The answer that ends a resident's 调解申请 (review L4): the event closes with it and the resident
   * may rate. The outcome only: no party, no mediator, and not where a case was referred (free text).
   */
  answered: (outcome: Outcome) =>
    outcome === 'success' ? '调解结束：达成协议。经调解，双方已达成调解协议，本申请办结。'
      : outcome === 'failed' ? '调解结束：未达成协议。本申请办结；如仍有争议，可依法向人民法院起诉。'
        : '调解结束：已转诉讼或其他机关处理，本申请在调解委员会办结。',
} as const;
