import { z } from 'zod';
import { ACTIVE_DISPATCH_STATES, DISPATCH_STATES, type DispatchState } from '@/lib/command/dispatch';
import { CommandPushV1, ConsultationV1, DispatchV1 } from '@/lib/contracts/command';
import { put } from '@/app/live/command';
import { Observable } from '@/app/observable';

const Mine = z.object({ dispatches: z.array(DispatchV1), invitations: z.array(ConsultationV1) });

/** Something that takes over the phone: a dispatch of my unit, or an invitation I have not answered. */
export type Call =
  | { kind: 'dispatch'; key: string; dispatch: DispatchV1 }
  | { kind: 'invitation'; key: string; consultation: ConsultationV1 };

export interface CommandFeedView {
  /** Newest first. */
  calls: readonly Call[];
  /** Open consultations this phone has joined: their decisions, as they are made. */
  joined: readonly ConsultationV1[];
  /** Keys seen for the first time by the last change: these ring. */
  fresh: readonly string[];
}

/**
 * The phone's dispatches and invitations (issue 5): loaded from GET /api/v1/command/mine on each
 * (re)connect, and pushed by socket in between. An older copy never replaces a newer one. A call
 * leaves when its dispatch ends, when the invitation is answered, or when the consultation closes.
 */
export class CommandFeed extends Observable {
  private dispatches = new Map<number, DispatchV1>();
  private consultations = new Map<number, ConsultationV1>();
  private seen = new Set<string>();
  private ahead = new Map<number, DispatchState>();
  private replied = new Set<number>();
  private view: CommandFeedView = { calls: [], joined: [], fresh: [] };

  constructor(private readonly accountId: number) {
    super();
  }

  readonly getView = (): CommandFeedView => this.view;

  push(raw: unknown): void {
    const parsed = CommandPushV1.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.type === 'dispatch') put(this.dispatches, m.dispatch);
    else put(this.consultations, m.consultation);
    this.publish();
  }

  /** The server's list of what is mine now; anything it lacks has ended (or was answered). */
  load(raw: unknown): void {
    const mine = Mine.parse(raw);
    this.dispatches = keepNewer(this.dispatches, mine.dispatches);
    this.consultations = keepNewer(this.consultations, mine.invitations);
    this.publish();
  }

  /**
   * A step taken here, perhaps still in the outbox: the card moves on at once. The server's copy
   * wins as soon as it has caught up (or gone further).
   */
  advance(dispatchId: number, to: DispatchState): void {
    this.ahead.set(dispatchId, to);
    this.publish();
  }

  /** An invitation answered here: it leaves the screen at once. */
  answered(consultationId: number): void {
    this.replied.add(consultationId);
    this.publish();
  }

  private calls(): Call[] {
    const out: Call[] = [];
    for (const server of this.dispatches.values()) {
      const local = this.ahead.get(server.id);
      const d = local && order(local) > order(server.state) ? { ...server, state: local } : server;
      if (ACTIVE_DISPATCH_STATES.includes(d.state)) out.push({ kind: 'dispatch', key: `d:${d.id}:${d.state}`, dispatch: d });
    }
    for (const c of this.consultations.values()) {
      const me = c.invitees.find((i) => i.accountId === this.accountId);
      if (c.state === 'open' && me?.response === 'invited' && !this.replied.has(c.id)) out.push({ kind: 'invitation', key: `c:${c.id}`, consultation: c });
    }
    return out.sort((a, b) => stamp(b) - stamp(a));
  }

  private publish(): void {
    const calls = this.calls();
    const fresh = calls.filter((c) => !this.seen.has(c.key) && (c.kind === 'invitation' || c.dispatch.state === 'dispatched')).map((c) => c.key);
    for (const c of calls) this.seen.add(c.key);
    const joined = [...this.consultations.values()].filter((c) => c.state === 'open' && c.invitees.some((i) => i.accountId === this.accountId && (i.response === 'accepted' || i.response === 'attended')));
    this.view = { calls, joined, fresh };
    this.notify();
  }
}

const order = (s: DispatchState) => DISPATCH_STATES.indexOf(s);
const stamp = (c: Call) => Date.parse(c.kind === 'dispatch' ? c.dispatch.createdAt : (c.consultation.startedAt ?? c.consultation.scheduledAt ?? '1970-01-01T00:00:00Z'));

function keepNewer<T extends { id: number; version: number }>(current: Map<number, T>, list: readonly T[]): Map<number, T> {
  const out = new Map<number, T>();
  for (const item of list) {
    const had = current.get(item.id);
    out.set(item.id, had && had.version > item.version ? had : item);
  }
  return out;
}
