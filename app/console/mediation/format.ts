import type { CaseSummaryV1 } from '@/lib/contracts/mediation';
import { OUTCOME_LABEL } from '@/lib/contracts/mediation';

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** A moment in Shanghai time, or a dash. */
export const at = (iso: string | null) => (iso ? TIME.format(new Date(iso)) : '—');
export const day = (iso: string | null) => (iso ? DAY.format(new Date(iso)) : '—');

/** What a case's row says of where it stands. */
export function stateLabel(c: Pick<CaseSummaryV1, 'state' | 'overdue' | 'outcome' | 'followupAt'>): string {
  if (c.state === 'open') return c.overdue ? '调解中（已超期）' : '调解中';
  const outcome = c.outcome ? OUTCOME_LABEL[c.outcome] : '已结案';
  return c.followupAt ? `${outcome}·已回访` : outcome;
}

export { newKey } from '@/app/field/keys';

/** A `datetime-local` value, read as Shanghai time, as the ISO instant the API takes. */
export const shanghaiIso = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '');
