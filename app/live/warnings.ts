import { z } from 'zod';
import { WarningV1, type WarningState } from '@/lib/contracts/warnings';

/**
 * Still detected or still being handled (the server's state=active): everything but cleared. A
 * converted warning stays on the wall, saying 已转办, until the job no longer finds it.
 */
export const ACTIVE_STATES: ReadonlySet<WarningState> = new Set(['open', 'acknowledged', 'converted']);

export const isActive = (w: WarningV1): boolean => ACTIVE_STATES.has(w.state);

/*
 * GET /api/v1/warnings answers a list; read it bare or wrapped as { warnings }, so that the wall
 * does not go blank over the envelope. Each item is validated on its own: one malformed warning
 * must not hide the rest.
 */
const ListBody = z.union([z.array(z.unknown()), z.object({ warnings: z.array(z.unknown()) })]);
// (lib/contracts/warnings.ts WarningListV1 is the wrapped form.)

export function readWarningList(body: unknown): { warnings: WarningV1[]; rejected: number } {
  const parsed = ListBody.safeParse(body);
  if (!parsed.success) return { warnings: [], rejected: -1 };
  const items = Array.isArray(parsed.data) ? parsed.data : parsed.data.warnings;
  const warnings: WarningV1[] = [];
  let rejected = 0;
  for (const item of items) {
    const w = WarningV1.safeParse(item);
    if (w.success) warnings.push(w.data);
    else rejected += 1;
  }
  return { warnings, rejected };
}

const newer = (a: WarningV1, b: WarningV1): boolean => a.version > b.version || (a.version === b.version && a.updatedAt > b.updatedAt);

const LEVEL_RANK = { red: 0, orange: 1, yellow: 2, blue: 3 } as const;

/** Most urgent first: active before done, then by level, then the newest. */
export function byUrgency(a: WarningV1, b: WarningV1): number {
  return Number(isActive(b)) - Number(isActive(a)) || LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0);
}

/**
 * Warnings by id, each at its latest version: a push and a list that cross on the wire must not
 * take a warning back to an older state.
 */
export class WarningBook {
  private byId = new Map<number, WarningV1>();
  private sorted: readonly WarningV1[] | null = null;

  /** True when it changed what is held. */
  upsert(w: WarningV1): boolean {
    const held = this.byId.get(w.id);
    if (held && !newer(w, held)) return false;
    this.byId.set(w.id, w);
    this.sorted = null;
    return true;
  }

  /**
   * The server's list of active warnings: those it no longer lists are done (converted or cleared
   * while this screen was away) and leave, unless a push newer than the list says otherwise.
   */
  replace(list: readonly WarningV1[]): void {
    const next = new Map<number, WarningV1>();
    for (const w of list) {
      const held = this.byId.get(w.id);
      next.set(w.id, held && newer(held, w) ? held : w);
    }
    this.byId = next;
    this.sorted = null;
  }

  get(id: number): WarningV1 | null {
    return this.byId.get(id) ?? null;
  }

  /** Every warning held, most urgent first; the same array until something changes. */
  list(): readonly WarningV1[] {
    this.sorted ??= [...this.byId.values()].sort(byUrgency);
    return this.sorted;
  }

  /** Only the active ones. */
  active(): readonly WarningV1[] {
    return this.list().filter(isActive);
  }
}
