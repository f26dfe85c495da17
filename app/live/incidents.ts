import type { IncidentV1 } from '@/lib/contracts/live';
import type { Card } from '@/lib/contracts/events';
import { cardAt, higherCard } from '@/lib/events/deadlines';
import { DONE_STATES } from '@/lib/events/machine';
import { shanghaiDayStart } from './time';

/** An incident with its times parsed once, not on every recount. */
export type LiveIncident = IncidentV1 & { reportedMs: number; deadlineMs: number | null; redMs: number | null };

/** The server lists at most this many (today's + open); the wall keeps no more, however long it runs. */
export const MAX_INCIDENTS = 5000;
/** How long a newly reported incident rings on the map. */
export const PULSE_MS = 6000;

const CLOSED: ReadonlySet<string> = new Set(DONE_STATES);

/** Still needs somebody: not closed, returned or merged. */
export function isOpen(i: IncidentV1): boolean {
  return !CLOSED.has(i.state);
}

export function isOverdue(i: LiveIncident, now: number): boolean {
  return i.deadlineMs !== null && i.deadlineMs < now && isOpen(i);
}

/**
 * The supervision card (S13) as of `now`: the server raises and records each card, but a screen
 * turns yellow or red the moment a deadline passes rather than on the server's next round.
 */
export function cardOf(i: LiveIncident, now: number): Card {
  if (!isOpen(i)) return 'none';
  const live = cardAt(new Date(now), i.deadlineMs === null ? null : new Date(i.deadlineMs), i.redMs === null ? null : new Date(i.redMs));
  return higherCard(i.card, live) ? i.card : live;
}

const time = (s: string | null) => {
  const ms = s === null ? NaN : Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
};

function parsed(i: IncidentV1): LiveIncident {
  return { ...i, reportedMs: Date.parse(i.reportedAt), deadlineMs: time(i.deadlineAt), redMs: time(i.redAt) };
}

/** Today's and every open incident, by id, with the arrival time of those that came live. */
export class IncidentBook {
  private byId = new Map<number, LiveIncident>();
  /** performance.now() of arrival, for the pulse; only incidents that came by socket. */
  private arrivals = new Map<number, number>();
  private sorted: readonly LiveIncident[] = [];
  private sortedVersion = 0;
  /** The highest incident sequence number accounted for; -1 before the first load. */
  seq = -1;
  version = 0;

  get size(): number {
    return this.byId.size;
  }

  get(id: number): LiveIncident | undefined {
    return this.byId.get(id);
  }

  /** The server's whole list, current to `seq`: everything held before is dropped. */
  replace(list: readonly IncidentV1[], seq: number): void {
    this.byId = new Map(list.map((i) => [i.id, parsed(i)]));
    for (const id of this.arrivals.keys()) if (!this.byId.has(id)) this.arrivals.delete(id);
    this.seq = seq;
    this.version += 1;
  }

  /** One incident, new or changed; `arrivedAt` (performance.now) makes a new one pulse. */
  upsert(i: IncidentV1, arrivedAt: number | null): void {
    const known = this.byId.has(i.id);
    this.byId.set(i.id, parsed(i));
    if (!known && arrivedAt !== null) this.arrivals.set(i.id, arrivedAt);
    if (i.seq > this.seq) this.seq = i.seq;
    this.version += 1;
  }

  /**
   * Drops what the wall no longer shows — closed incidents reported before today — and, as a last
   * resort, the oldest beyond MAX_INCIDENTS. Returns whether anything went.
   */
  prune(serverNow: number, now: number): boolean {
    const dayStart = shanghaiDayStart(serverNow);
    const before = this.byId.size;
    for (const [id, i] of this.byId) {
      if (!isOpen(i) && i.reportedMs < dayStart) this.byId.delete(id);
    }
    if (this.byId.size > MAX_INCIDENTS) {
      const oldestFirst = [...this.byId.values()].sort((a, b) => a.reportedMs - b.reportedMs);
      // Closed ones go first; open ones only if open alone overflow the cap.
      let excess = this.byId.size - MAX_INCIDENTS;
      for (const i of oldestFirst) if (excess > 0 && !isOpen(i)) { this.byId.delete(i.id); excess -= 1; }
      for (const i of oldestFirst) if (excess > 0 && this.byId.delete(i.id)) excess -= 1;
    }
    for (const [id, at] of this.arrivals) if (now - at > PULSE_MS || !this.byId.has(id)) this.arrivals.delete(id);
    if (this.byId.size === before) return false;
    this.version += 1;
    return true;
  }

  /** Newest first; the same array until something changes. */
  list(): readonly LiveIncident[] {
    if (this.sortedVersion !== this.version) {
      this.sorted = [...this.byId.values()].sort((a, b) => b.reportedMs - a.reportedMs || b.id - a.id);
      this.sortedVersion = this.version;
    }
    return this.sorted;
  }

  /** Incidents still pulsing at `now`, with how far into the pulse each is (0…1). */
  pulses(now: number): { incident: LiveIncident; phase: number }[] {
    const out: { incident: LiveIncident; phase: number }[] = [];
    for (const [id, at] of this.arrivals) {
      const incident = this.byId.get(id);
      const age = now - at;
      if (incident && age >= 0 && age < PULSE_MS) out.push({ incident, phase: age / PULSE_MS });
    }
    return out;
  }
}
