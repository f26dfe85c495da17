import type { EventLogStep } from '@/lib/contracts/events';
import { RATING_LABEL, RATING_VALUE, type RatingChoice } from '@/lib/contracts/citizen';

/*
 * What the drawer says about a resident's request (issue 14; S14), from the event's own log: the
 * rating is a step of the closed loop (`rate`), so it is read where it is recorded.
 */

export interface RatingSeen {
  choice: RatingChoice | null;
  label: string;
  comment: string | null;
  at: string;
  /** 不满意: the deputy chief was told (S14); the drawer shows it in red. */
  dissatisfied: boolean;
}

const CHOICES = Object.keys(RATING_VALUE) as RatingChoice[];

/** A rating as recorded: a choice ('dissatisfied') or the 1–5 value events.rating keeps. */
function choiceOf(value: unknown): RatingChoice | null {
  if (typeof value === 'string' && (CHOICES as string[]).includes(value)) return value as RatingChoice;
  if (typeof value === 'number') {
    if (value >= RATING_VALUE.satisfied) return 'satisfied';
    if (value >= RATING_VALUE.basically) return 'basically';
    return 'dissatisfied';
  }
  return null;
}

/** The resident's latest rating on this event, or null if none was given. */
export function ratingOf(log: readonly EventLogStep[]): RatingSeen | null {
  for (let k = log.length - 1; k >= 0; k -= 1) {
    const step = log[k];
    if (step.action !== 'rate') continue;
    const data = step.data ?? {};
    const choice = choiceOf(data.rating ?? data.choice ?? data.value);
    const comment = typeof data.comment === 'string' && data.comment ? data.comment : step.note;
    return { choice, label: choice ? RATING_LABEL[choice] : '已评价', comment: comment || null, at: step.at, dissatisfied: choice === 'dissatisfied' };
  }
  return null;
}

/** Kinds answered in words (lib/events/machine `answer`): the drawer explains where the answer goes. */
export const ANSWERED_KINDS: ReadonlySet<string> = new Set(['question', 'complaint', 'suggestion']);

export const EVENT_KIND_LABEL: Readonly<Record<string, string>> = {
  problem: '问题',
  question: '政策咨询',
  complaint: '投诉',
  suggestion: '建议',
  mediation: '调解申请',
};
