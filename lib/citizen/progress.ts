import {
  CITIZEN_KIND_LABEL, CITIZEN_STATUS_LABEL, RATING_LABEL, formatCode, type CitizenKind, type CitizenStatus,
  type CitizenStepV1, type CitizenTrackingV1, type RatingChoice,
} from '../contracts/citizen';
import type { EventState } from '../events/machine';
import { maskPhone } from './words';

/*
 * What a resident sees of their request (issue 14; S9, S14), from the event's state and log, the
 * single source of truth. Only what is meant for them: the handling result, an answer, a return's
 * reason and a mediation's public notes. Never coordinates, staff names, other residents' words
 * (a complaint's note on the event it is about) or phone numbers but their own, masked.
 */

export interface ProgressStep {
  at: string;
  action: string | null;
  to: string;
  note: string | null;
  data: Record<string, unknown> | null;
}

export interface ProgressEvent {
  state: EventState;
  categoryLabel: string;
  placeLabel: string | null;
  log: ProgressStep[];
}

export interface ProgressRequest {
  code: string;
  kind: CitizenKind;
  createdAt: string;
  description: string;
  phone: string | null;
  /** Another resident's identical request came first: this one follows its event and is rated on its own row. */
  merged: boolean;
  rating: number | null;
  ratingComment: string | null;
  ratedAt: string | null;
}

/** Department codes to names, for "已交由××处理". */
export type DepartmentNames = ReadonlyMap<string, string>;

const CHOICE_OF: Record<number, RatingChoice> = { 5: 'satisfied', 4: 'basically', 1: 'dissatisfied' };
export const choiceOf = (rating: number): RatingChoice => CHOICE_OF[rating] ?? (rating >= 4 ? 'basically' : 'dissatisfied');

const wasAnswered = (log: readonly ProgressStep[]) => log.some((s) => s.action === 'answer');

/** The request's status: from the event it follows, and for a merged-in request its own rating. */
export function statusOf(request: Pick<ProgressRequest, 'merged' | 'rating'>, event: Pick<ProgressEvent, 'state' | 'log'>): CitizenStatus {
  if (request.rating !== null) return 'rated';
  switch (event.state) {
    case 'reported':
      return 'received';
    case 'accepted':
      return 'accepted';
    case 'assigned':
    case 'coordinated':
    case 'in_progress':
      return 'handling';
    case 'handled':
      return 'handled';
    case 'closed':
      return wasAnswered(event.log) ? 'answered' : 'closed';
    // Rated by the first resident: for another who followed the same event, it is done and theirs to rate.
    case 'rated':
      return request.merged ? (wasAnswered(event.log) ? 'answered' : 'closed') : 'rated';
    case 'returned':
      return 'returned';
    case 'merged':
      return 'merged';
  }
}

const department = (names: DepartmentNames, data: Record<string, unknown> | null): string | null => {
  const code = typeof data?.department === 'string' ? data.department : null;
  return code ? names.get(code) ?? null : null;
};

/** The steps of a mediation case as the resident reads them (data.step of an event_log 'mediation' step). */
const MEDIATION_STEP_LABEL: Record<string, string> = {
  open: '已受理调解申请',
  assign: '已安排调解员',
  session: '已安排调解',
  close: '调解结束',
  followup: '调解回访',
};

/** One log step in plain words, or null for a step the resident is not shown (cards, sub-tasks, complaints of others). */
export function stepOf(s: ProgressStep, names: DepartmentNames): CitizenStepV1 | null {
  const at = s.at;
  switch (s.action) {
    case 'report':
      return { at, label: CITIZEN_STATUS_LABEL.received, note: null };
    case 'accept':
      return { at, label: CITIZEN_STATUS_LABEL.accepted, note: null };
    case 'assign':
    case 'reroute': {
      const dep = department(names, s.data);
      return { at, label: dep ? `已交由${dep}处理` : '已交办处理', note: null };
    }
    case 'coordinate':
      return { at, label: '工作站统筹处理', note: null };
    case 'start':
      return { at, label: '开始处理', note: null };
    case 'handle':
      return { at, label: '已处理', note: s.note };
    case 'verify_pass':
      return { at, label: '核查通过，已办结', note: null };
    case 'verify_fail':
      return { at, label: '核查未通过，继续处理', note: null };
    case 'answer':
      return { at, label: '答复', note: s.note };
    case 'return':
      return { at, label: CITIZEN_STATUS_LABEL.returned, note: s.note };
    case 'merge':
      return { at, label: '已与同一问题合并处理', note: null };
    case 'rate':
      return { at, label: CITIZEN_STATUS_LABEL.rated, note: null };
    // Mediation's steps (server/mediation/cases.ts) carry a note written for the parties (S8).
    case 'mediation': {
      const code = typeof s.data?.step === 'string' ? s.data.step : '';
      return { at, label: MEDIATION_STEP_LABEL[code] ?? '调解进展', note: s.note };
    }
    default:
      return null;
  }
}

/**
 * The tracking view. `events` is the request's event and, when it was merged, the event it
 * follows: the first one's steps up to the merge, then the other's (its own report step left out).
 */
export function trackingView(request: ProgressRequest, events: readonly ProgressEvent[], names: DepartmentNames): CitizenTrackingV1 {
  const [own, ...followed] = events;
  const current = followed.length ? followed[followed.length - 1] : own;
  const steps: CitizenStepV1[] = [];
  // The event merged into is followed from the merge on: what happened to it before is another resident's story.
  let since = '';
  events.forEach((e, i) => {
    for (const s of e.log) {
      if (i > 0 && (s.action === 'report' || s.at < since)) continue;
      // A merged-in request's rating is its own: the first resident's rating step is not theirs to see.
      if (s.action === 'rate' && request.merged) continue;
      const step = stepOf(s, names);
      if (step) steps.push(step);
    }
    since = [...e.log].reverse().find((s) => s.action === 'merge')?.at ?? since;
  });
  if (request.merged && request.ratedAt) steps.push({ at: request.ratedAt, label: CITIZEN_STATUS_LABEL.rated, note: null });
  steps.sort((a, b) => a.at.localeCompare(b.at));
  const status = statusOf(request, current);
  const answer = [...current.log].reverse().find((s) => s.action === 'answer')?.note ?? null;
  const closed = current.state === 'closed' || current.state === 'rated';
  return {
    code: formatCode(request.code),
    kind: request.kind,
    kindLabel: CITIZEN_KIND_LABEL[request.kind],
    createdAt: request.createdAt,
    categoryLabel: own.categoryLabel,
    description: request.description,
    placeLabel: own.placeLabel,
    status,
    statusLabel: CITIZEN_STATUS_LABEL[status],
    steps,
    answer,
    phoneMasked: maskPhone(request.phone),
    canRate: request.rating === null && closed && (request.merged || followed.length > 0 || current.state === 'closed'),
    rating:
      request.rating !== null && request.ratedAt
        ? { choice: choiceOf(request.rating), label: RATING_LABEL[choiceOf(request.rating)], comment: request.ratingComment, at: request.ratedAt }
        : null,
  };
}
