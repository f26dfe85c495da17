import { UNIT_KINDS } from '@/lib/units';
import { grown, Trails } from './trails';

/** Silent longer than this: drawn dim, no longer counted online. */
export const STALE_MS = 2 * 60_000;
/** Silent longer than this: drawn hollow. */
export const OFFLINE_MS = 10 * 60_000;
/** A new fix glides in over one server tick (server/live/fanout.ts TICK_MS), so the next finds it arrived. */
export const GLIDE_MS = 250;

export const LIVE = 0;
export const STALE = 1;
export const OFFLINE = 2;
export type UnitState = typeof LIVE | typeof STALE | typeof OFFLINE;

/** Kind index of a unit whose kind the wall does not know (yet); kinds index UNIT_KINDS. */
export const UNKNOWN_KIND = UNIT_KINDS.length;
export const KIND_SLOTS = UNIT_KINDS.length + 1;

/** Unit ids below this find their slot in a flat array; ids are database serials, so in practice all. */
const FLAT_IDS = 1 << 20;

function stateOf(age: number): UnitState {
  return age > OFFLINE_MS ? OFFLINE : age > STALE_MS ? STALE : LIVE;
}

/**
 * Every unit that has reported, one dense slot each, column-wise in typed arrays: a tick of
 * 10,000 fixes writes numbers into place and creates no object, and deck.gl can take the columns
 * as binary attributes. Slots are never freed; their number is bounded by the units that exist.
 */
export class UnitTable {
  /** Slots in use: 0 … count-1. */
  count = 0;
  capacity = 0;
  ids = new Uint32Array(0);
  kind = new Uint8Array(0);
  /** Latest fix, lon/lat interleaved. */
  position = new Float64Array(0);
  /** Where the dot was drawn when the latest fix came: the glide starts there. */
  previous = new Float64Array(0);
  /** Fix time, epoch ms (server clock). */
  fixTime = new Float64Array(0);
  /** performance.now() when the latest fix was applied. */
  movedAt = new Float64Array(0);
  /** m/s */
  speed = new Float32Array(0);
  /** Degrees from north; NaN when the device gave none. */
  heading = new Float32Array(0);
  state = new Uint8Array(0);
  readonly trails = new Trails();

  /** LIVE units per kind index. */
  readonly onlineByKind = new Int32Array(KIND_SLOTS);
  /** Units per state (LIVE, STALE, OFFLINE). */
  readonly stateCount = new Int32Array(3);
  /** Bumped on every applied fix: the units layer redraws when it moves. */
  posVersion = 0;
  /** Bumped when a slot's colour inputs (kind, state) change or a slot is added. */
  styleVersion = 0;
  /** Bumped when the counts above change. */
  countVersion = 0;
  /** Latest movedAt of any slot: after it + GLIDE_MS every dot has arrived and nothing needs drawing. */
  lastMovedAt = Number.NEGATIVE_INFINITY;
  /** A fix named a unit the directory lacked; the store reloads the directory and clears this. */
  unknownSeen = false;

  private slotByFlatId = new Int32Array(0);
  private slotByLargeId = new Map<number, number>();
  private kindOf: (unitId: number) => number | undefined = () => undefined;
  // Set once per batch by begin(), so applyFix can be handed to readTick as is.
  private now = 0;
  private serverNow = 0;

  slotOf(unitId: number): number {
    if (unitId < FLAT_IDS) return unitId < this.slotByFlatId.length ? this.slotByFlatId[unitId] - 1 : -1;
    return this.slotByLargeId.get(unitId) ?? -1;
  }

  /** Clock readings for the fixes about to be applied: local (glides) and server (staleness). */
  begin(now: number, serverNow: number): void {
    this.now = now;
    this.serverNow = serverNow;
  }

  /**
   * Takes one fix if it is newer than what the slot holds. O(1), allocation-free except when a
   * unit is seen for the first time and the columns must grow (amortised by doubling).
   */
  readonly applyFix = (unitId: number, lon: number, lat: number, t: number, speed: number, heading: number | null): void => {
    let slot = this.slotOf(unitId);
    const fresh = slot < 0;
    if (fresh) slot = this.addSlot(unitId);
    else if (t <= this.fixTime[slot]) return;

    const j = slot * 2;
    const pos = this.position;
    const prev = this.previous;
    if (fresh) {
      prev[j] = lon;
      prev[j + 1] = lat;
    } else {
      // Start from where the dot is drawn now, so a fix arriving mid-glide bends the path, never jumps.
      const a = (this.now - this.movedAt[slot]) / GLIDE_MS;
      if (a < 1) {
        const f = a > 0 ? a : 0;
        prev[j] += (pos[j] - prev[j]) * f;
        prev[j + 1] += (pos[j + 1] - prev[j + 1]) * f;
      } else {
        prev[j] = pos[j];
        prev[j + 1] = pos[j + 1];
      }
    }
    pos[j] = lon;
    pos[j + 1] = lat;
    this.fixTime[slot] = t;
    this.movedAt[slot] = this.now;
    this.speed[slot] = speed;
    this.heading[slot] = heading ?? Number.NaN;
    this.trails.push(slot, lon, lat, t);
    this.lastMovedAt = this.now;
    this.posVersion += 1;

    const next = stateOf(this.serverNow - t);
    if (fresh) this.enter(slot, next);
    else if (next !== this.state[slot]) this.move(slot, next);
  };

  /** Re-derives every slot's state from its fix age; returns whether any changed. O(slots). */
  sweep(serverNow: number): boolean {
    let changed = false;
    for (let slot = 0; slot < this.count; slot++) {
      const next = stateOf(serverNow - this.fixTime[slot]);
      if (next !== this.state[slot]) {
        this.move(slot, next);
        changed = true;
      }
    }
    return changed;
  }

  /** New directory: each slot's kind is looked up again and the per-kind counts redone. */
  setKinds(kindOf: (unitId: number) => number | undefined): void {
    this.kindOf = kindOf;
    this.onlineByKind.fill(0);
    for (let slot = 0; slot < this.count; slot++) {
      this.kind[slot] = kindOf(this.ids[slot]) ?? UNKNOWN_KIND;
      if (this.state[slot] === LIVE) this.onlineByKind[this.kind[slot]] += 1;
    }
    this.styleVersion += 1;
    this.countVersion += 1;
  }

  /**
   * Writes each slot's drawn position into `out` (lon/lat interleaved, float32 for the GPU), gliding
   * from `previous` to `position` over GLIDE_MS. Returns whether any dot is still on its way.
   */
  interpolate(now: number, out: Float32Array): boolean {
    const pos = this.position;
    const prev = this.previous;
    const movedAt = this.movedAt;
    let gliding = false;
    for (let slot = 0, j = 0; slot < this.count; slot++, j += 2) {
      const a = (now - movedAt[slot]) / GLIDE_MS;
      if (a >= 1) {
        out[j] = pos[j];
        out[j + 1] = pos[j + 1];
      } else {
        const f = a > 0 ? a : 0;
        out[j] = prev[j] + (pos[j] - prev[j]) * f;
        out[j + 1] = prev[j + 1] + (pos[j + 1] - prev[j + 1]) * f;
        gliding = true;
      }
    }
    return gliding;
  }

  private addSlot(unitId: number): number {
    if (this.count === this.capacity) this.grow(Math.max(256, this.capacity * 2));
    const slot = this.count++;
    this.ids[slot] = unitId;
    if (unitId < FLAT_IDS) {
      if (unitId >= this.slotByFlatId.length) {
        this.slotByFlatId = grown(this.slotByFlatId, Math.min(FLAT_IDS, Math.max(1024, 2 ** Math.ceil(Math.log2(unitId + 1)))), (n) => new Int32Array(n));
      }
      this.slotByFlatId[unitId] = slot + 1;
    } else {
      this.slotByLargeId.set(unitId, slot);
    }
    const kind = this.kindOf(unitId);
    if (kind === undefined) this.unknownSeen = true;
    this.kind[slot] = kind ?? UNKNOWN_KIND;
    return slot;
  }

  private grow(capacity: number): void {
    this.ids = grown(this.ids, capacity, (n) => new Uint32Array(n));
    this.kind = grown(this.kind, capacity, (n) => new Uint8Array(n));
    this.position = grown(this.position, capacity * 2, (n) => new Float64Array(n));
    this.previous = grown(this.previous, capacity * 2, (n) => new Float64Array(n));
    this.fixTime = grown(this.fixTime, capacity, (n) => new Float64Array(n));
    this.movedAt = grown(this.movedAt, capacity, (n) => new Float64Array(n));
    this.speed = grown(this.speed, capacity, (n) => new Float32Array(n));
    this.heading = grown(this.heading, capacity, (n) => new Float32Array(n));
    this.state = grown(this.state, capacity, (n) => new Uint8Array(n));
    this.trails.grow(capacity);
    this.capacity = capacity;
  }

  private enter(slot: number, state: UnitState): void {
    this.state[slot] = state;
    this.stateCount[state] += 1;
    if (state === LIVE) this.onlineByKind[this.kind[slot]] += 1;
    this.styleVersion += 1;
    this.countVersion += 1;
  }

  private move(slot: number, state: UnitState): void {
    const was = this.state[slot];
    this.stateCount[was] -= 1;
    if (was === LIVE) this.onlineByKind[this.kind[slot]] -= 1;
    this.enter(slot, state);
  }
}
