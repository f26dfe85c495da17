import type { DutySource } from '@/lib/contracts/duty';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { child } from '../obs/log';

const log = child('duty');

/*
 * 上岗 / 下岗 (issue 12): the shifts of duty_shifts (migration 016). A trace counts as patrol only
 * inside one, so every source of positions keeps them: the phone's button, a tracker's first fix,
 * the simulator; the duty job (server/jobs/duty.ts) closes the shifts of sources that only fall silent.
 */

export interface Shift {
  id: number;
  unitId: number;
  startedAt: string;
  endedAt: string | null;
  source: DutySource;
}

const COLUMNS = `id::int AS id, unit_id AS "unitId", ${isoSql('started_at')} AS "startedAt", ${isoSql('ended_at')} AS "endedAt", source`;
// One shift open per unit (index duty_shifts_open): the conflict target of every "open if none".
const IF_NONE_OPEN = `ON CONFLICT (unit_id) WHERE ended_at IS NULL DO NOTHING`;
/** Serialises the changes of one unit's duty (a double tap, two tabs); the key is ours alone. */
const LOCK_CLASS = 7_305_012;

export async function currentShift(q: Db | Tx, unitId: number): Promise<Shift | null> {
  const { rows } = await q.query<Shift>(`SELECT ${COLUMNS} FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [unitId]);
  return rows[0] ?? null;
}

export async function lockUnitDuty(tx: Tx, unitId: number): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock($1, $2)`, [LOCK_CLASS, unitId]);
}

/**
 * Opens a shift of `source` from `at`. A shift of another source open now is ended first: a
 * gridder who presses 上岗 takes over from the tracker or the simulator. Returns the open shift.
 */
export async function openShift(tx: Tx, unitId: number, source: DutySource, at: Date = new Date()): Promise<{ shift: Shift; opened: boolean }> {
  const open = await currentShift(tx, unitId);
  if (open?.source === source) return { shift: open, opened: false };
  if (open) await tx.query(`UPDATE duty_shifts SET ended_at = greatest(started_at, $2) WHERE id = $1`, [open.id, at]);
  const { rows } = await tx.query<Shift>(`INSERT INTO duty_shifts (unit_id, started_at, source) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [unitId, at, source]);
  return { shift: rows[0], opened: true };
}

/** Ends the unit's open shift (any source) at `at`; null when none was open. */
export async function closeShift(tx: Tx, unitId: number, at: Date = new Date()): Promise<Shift | null> {
  const { rows } = await tx.query<Shift>(
    `UPDATE duty_shifts SET ended_at = greatest(started_at, $2) WHERE unit_id = $1 AND ended_at IS NULL RETURNING ${COLUMNS}`,
    [unitId, at],
  );
  return rows[0] ?? null;
}

/** Opens a shift of `source` for each unit that has none open, from its given time. Returns how many were opened. */
export async function openIfNone(q: Db | Tx, source: DutySource, starts: readonly { unitId: number; t: number }[]): Promise<number> {
  if (starts.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO duty_shifts (unit_id, started_at, source)
     SELECT u, to_timestamp(t / 1000.0), $3 FROM unnest($1::int[], $2::float8[]) AS s(u, t) ${IF_NONE_OPEN}`,
    [starts.map((s) => s.unitId), starts.map((s) => s.t), source],
  );
  return r.rowCount ?? 0;
}

/**
 * Ends the 'device' and 'sim' shifts whose unit has sent nothing for `silentMs`: a tracker switched
 * off, a simulated phone gone quiet. The shift ends at the unit's last fix in it (or its start, when
 * none came), so the silence is not counted as patrol. Returns the shifts ended.
 */
export async function closeSilent(db: Db, now: Date, silentMs: number): Promise<number> {
  const r = await db.query(
    `WITH open AS (
       SELECT s.id, s.started_at,
              (SELECT max(p.at) FROM positions p WHERE p.unit_id = s.unit_id AND p.at >= s.started_at AND p.at <= $1) AS last_at
         FROM duty_shifts s
        WHERE s.ended_at IS NULL AND s.source IN ('device', 'sim') AND s.started_at < $1 - $2 * interval '1 millisecond')
     UPDATE duty_shifts d SET ended_at = coalesce(o.last_at, o.started_at)
       FROM open o
      WHERE d.id = o.id AND coalesce(o.last_at, o.started_at) < $1 - $2 * interval '1 millisecond'`,
    [now, silentMs],
  );
  return r.rowCount ?? 0;
}

/** How long a unit known to be on duty is not asked again: one query a minute per unit at most, not one per fix. */
const KNOWN_MS = 60_000;

/**
 * Fixes from a source without a 上岗 button open a shift of theirs when none is open (issue 12):
 * a tracker's ('device'), the simulator's ('sim'). The units seen on duty within the last minute
 * are skipped, so a 1 Hz tracker costs the database one statement a minute, not one a fix.
 */
export class ShiftOpener {
  private readonly known = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly source: Exclude<DutySource, 'field'>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Never fails the report it follows: the fixes are stored, and a unit whose shift could not be
   * opened now is tried again with its next fix.
   */
  async seen(fixes: readonly { unitId: number; t: number }[]): Promise<void> {
    try {
      await this.open(fixes);
    } catch (err) {
      log.warn({ err, source: this.source }, 'could not open duty shifts; tried again with the next fixes');
    }
  }

  private async open(fixes: readonly { unitId: number; t: number }[]): Promise<void> {
    const now = this.now();
    const first = new Map<number, number>();
    for (const f of fixes) {
      const since = this.known.get(f.unitId);
      if (since !== undefined && now - since < KNOWN_MS) continue;
      first.set(f.unitId, Math.min(first.get(f.unitId) ?? Infinity, f.t));
    }
    if (first.size === 0) return;
    await openIfNone(this.db, this.source, [...first].map(([unitId, t]) => ({ unitId, t })));
    if (this.known.size > 100_000) this.known.clear();
    for (const id of first.keys()) this.known.set(id, now);
  }
}

/** The units and earliest times of the items the ingest accepted (those not in `rejected`). */
export function acceptedFixes(units: { idOf(code: string): number | undefined }, items: readonly unknown[], rejected: readonly { index: number }[]): { unitId: number; t: number }[] {
  const refused = new Set(rejected.map((r) => r.index));
  const out: { unitId: number; t: number }[] = [];
  items.forEach((item, index) => {
    if (refused.has(index)) return;
    const { unit, t } = item as { unit: string; t: number };
    const unitId = units.idOf(unit);
    if (unitId !== undefined) out.push({ unitId, t });
  });
  return out;
}
