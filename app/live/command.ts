import { z } from 'zod';
import { ACTIVE_DISPATCH_STATES } from '@/lib/command/dispatch';
import { CommandPushV1, ConsultationV1, DispatchV1, type CommandLiveV1 } from '@/lib/contracts/command';
import { Observable } from '@/app/observable';

const CommandLive = z.object({
  dispatches: z.array(DispatchV1),
  consultations: z.array(ConsultationV1),
  keyPeriods: z.array(z.object({ id: z.number(), name: z.string(), startsOn: z.string(), endsOn: z.string(), stationId: z.number().nullable() })),
});

/** A cleared dispatch or a closed consultation stays on screen this long, then goes. */
export const ENDED_KEEP_MS = 60 * 60_000;

export interface CommandView {
  loaded: boolean;
  /** Active first, then by newest. */
  dispatches: readonly DispatchV1[];
  consultations: readonly ConsultationV1[];
  keyPeriods: CommandLiveV1['keyPeriods'];
}

const isActive = (d: DispatchV1) => ACTIVE_DISPATCH_STATES.includes(d.state);

/**
 * Dispatches and consultations as the wall and console show them (issue 5): a snapshot fetched on
 * every (re)connect, and pushes by socket in between. Each item carries a version; an older copy
 * never replaces a newer one, so a push that overtakes the snapshot (or arrives twice) is harmless.
 */
export class CommandBook extends Observable {
  private dispatches = new Map<number, DispatchV1>();
  private consultations = new Map<number, ConsultationV1>();
  private keyPeriods: CommandLiveV1['keyPeriods'] = [];
  private loaded = false;
  private view: CommandView = { loaded: false, dispatches: [], consultations: [], keyPeriods: [] };

  readonly getView = (): CommandView => this.view;

  /** A socket push; malformed ones are dropped with a warning. Returns whether it changed anything. */
  receive(raw: unknown): boolean {
    const parsed = CommandPushV1.safeParse(raw);
    if (!parsed.success) {
      console.warn('[command] malformed push:', parsed.error.issues[0]?.message);
      return false;
    }
    const m = parsed.data;
    const changed = m.type === 'dispatch' ? put(this.dispatches, m.dispatch) : put(this.consultations, m.consultation);
    if (changed) this.publish();
    return changed;
  }

  /** The server's picture, merged with what pushes brought meanwhile. */
  apply(raw: unknown): void {
    const live = CommandLive.parse(raw);
    this.dispatches = merge(this.dispatches, live.dispatches);
    this.consultations = merge(this.consultations, live.consultations);
    this.keyPeriods = live.keyPeriods;
    this.loaded = true;
    this.publish();
  }

  /** Drops what ended more than ENDED_KEEP_MS ago. */
  prune(now: number): void {
    let changed = false;
    for (const [id, d] of this.dispatches)
      if (d.endedAt && now - Date.parse(d.endedAt) > ENDED_KEEP_MS) changed = this.dispatches.delete(id) || changed;
    for (const [id, c] of this.consultations)
      if (c.endedAt && now - Date.parse(c.endedAt) > ENDED_KEEP_MS) changed = this.consultations.delete(id) || changed;
    if (changed) this.publish();
  }

  private publish(): void {
    const dispatches = [...this.dispatches.values()].sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.id - a.id);
    const consultations = [...this.consultations.values()].sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || b.id - a.id);
    this.view = { loaded: this.loaded, dispatches, consultations, keyPeriods: this.keyPeriods };
    this.notify();
  }
}

/** Keeps `item` unless the map holds the same or a newer version of it; returns whether it was kept. */
export function put<T extends { id: number; version: number }>(map: Map<number, T>, item: T): boolean {
  const had = map.get(item.id);
  if (had && had.version >= item.version) return false;
  map.set(item.id, item);
  return true;
}

/**
 * The snapshot and what is held, the newer copy of each. Held items the snapshot lacks stay: one
 * pushed while the snapshot was on its way is newer than it; an old one is pruned by its end time.
 */
function merge<T extends { id: number; version: number }>(current: Map<number, T>, snapshot: readonly T[]): Map<number, T> {
  const out = new Map(current);
  for (const item of snapshot) put(out, item);
  return out;
}
