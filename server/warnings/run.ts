import type { WarningKind, WarningSettings } from '@/lib/contracts/warnings';
import type { AppContext } from '../context';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { enqueue } from '../outbox/outbox';
import type { Finding } from './finding';
import { detectHotspots } from './hotspots';
import { detectNeeds } from './needs';
import { detectPlaces } from './places';
import { readWarningSettings } from './settings';
import { detectSurges } from './surges';

// Stores of several processes take turns (a transaction lock: the embedded database has one connection, so no session lock is held beside the queries).
const LOCK_KEY = 7_305_131;

export interface WarningRun {
  /** Always true once it returns (kept for callers that skip on false). */
  ran: boolean;
  found: Record<WarningKind, number>;
  raised: number;
  updated: number;
  cleared: number;
  unchanged: number;
  /** Milliseconds of each detector and of storing, and in all. */
  ms: { hotspots: number; surges: number; places: number; needs: number; store: number; total: number };
  /** Ids of the warnings raised or changed by this run. */
  changed: number[];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t0)];
}

/**
 * A run (S9 item 4): the four detectors, then one transaction that upserts by (kind, subject) —
 * a finding seen again updates its warning (version + 1, pushed) only when something shown
 * changed; a new one is inserted open; a live warning not found any more is cleared (an open or
 * acknowledged one becomes 'cleared'; a converted one keeps its state and leaves the active
 * list). Outbox rows in the same transaction, so screens hear of it after the commit (issue 11).
 */
export async function runWarnings(app: Pick<AppContext, 'db'>, now = new Date(), settings?: WarningSettings): Promise<WarningRun> {
  const run: WarningRun = {
    ran: false, found: { hotspot: 0, surge: 0, place: 0, need: 0 }, raised: 0, updated: 0, cleared: 0, unchanged: 0,
    ms: { hotspots: 0, surges: 0, places: 0, needs: 0, store: 0, total: 0 }, changed: [],
  };
  const t0 = performance.now();
  const s = settings ?? (await readWarningSettings(app.db));
  const db: Db = app.db;
  // In turn, not at once: each is timed alone (the bench's budgets are per detector).
  const [hotspots, tH] = await timed(() => detectHotspots(db, s, now));
  const [surges, tS] = await timed(() => detectSurges(db, s, now));
  const [places, tP] = await timed(() => detectPlaces(db, s, now));
  const [needs, tN] = await timed(() => detectNeeds(db, s, now));
  Object.assign(run.ms, { hotspots: tH, surges: tS, places: tP, needs: tN });
  const findings = [...hotspots, ...surges, ...places, ...needs];
  for (const f of findings) run.found[f.kind]++;
  const [stored, tStore] = await timed(() =>
    inTransaction(app.db, async (tx) => {
      // Runs of several processes store one after the other: the later one finds the earlier's warnings and changes only what differs.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      // A slower run that read older data must not undo a newer one (it would clear what that one
      // just raised, and raise it again as new): whatever stored after `now` wins, this run keeps nothing.
      const { rows } = await tx.query<{ newer: boolean }>(`SELECT EXISTS (SELECT 1 FROM warnings WHERE last_seen_at > $1) AS newer`, [now]);
      if (rows[0].newer) return false;
      await store(tx, findings, now, run);
      return true;
    }),
  );
  run.ms.store = tStore;
  run.ran = stored;
  run.ms.total = Math.round(performance.now() - t0);
  return run;
}

interface Live {
  id: number;
  kind: WarningKind;
  subject: string;
}

/** What a screen shows of a warning: a change in any of these is pushed, a run that changes none is not. */
const SHOWN_SQL = `jsonb_build_array(level, hotspot_class, title, explanation, numbers, station_id, grid_code, category,
  round(ST_X(location)::numeric, 6), round(ST_Y(location)::numeric, 6), event_ids)::text`;

async function store(tx: Tx, findings: readonly Finding[], now: Date, run: WarningRun): Promise<void> {
  const { rows: live } = await tx.query<Live>(`SELECT id::int AS id, kind, subject FROM warnings WHERE cleared_at IS NULL ORDER BY id FOR UPDATE`);
  const byKey = new Map(live.map((w) => [`${w.kind} ${w.subject}`, w]));
  const seen = new Set<number>();
  const changed: number[] = [];
  for (const f of findings) {
    const had = byKey.get(`${f.kind} ${f.subject}`);
    const values = [f.level, f.hotspotClass, f.title, f.explanation, JSON.stringify(f.numbers), f.stationId, f.gridCode, f.category, f.lon, f.lat, f.eventIds, now];
    if (!had) {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO warnings (kind, subject, level, hotspot_class, title, explanation, numbers, station_id, grid_code, category, location, event_ids, raised_at, updated_at, last_seen_at)
         VALUES ($13, $14, $1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_MakePoint($9, $10), 4326), $11, $12, $12, $12) RETURNING id::int AS id`,
        [...values, f.kind, f.subject],
      );
      changed.push(rows[0].id);
      run.raised++;
      continue;
    }
    seen.add(had.id);
    // Compared as the database writes it back (numbers as jsonb, the point rounded), so an unchanged finding is not a change.
    const { rows } = await tx.query<{ changed: boolean }>(
      `UPDATE warnings SET level = $1, hotspot_class = $2, title = $3, explanation = $4, numbers = $5, station_id = $6, grid_code = $7,
              category = $8, location = ST_SetSRID(ST_MakePoint($9, $10), 4326), event_ids = $11, last_seen_at = $12,
              updated_at = CASE WHEN changed THEN $12 ELSE updated_at END, version = version + changed::int
         FROM (SELECT ${SHOWN_SQL} IS DISTINCT FROM jsonb_build_array($1::text, $2::text, $3::text, $4::text, $5::jsonb, $6::int, $7::text, $8::text,
                      round($9::numeric, 6), round($10::numeric, 6), $11::bigint[])::text AS changed FROM warnings WHERE id = $13) d
        WHERE warnings.id = $13 RETURNING d.changed`,
      [...values, had.id],
    );
    if (rows[0].changed) {
      changed.push(had.id);
      run.updated++;
    } else run.unchanged++;
  }
  const gone = live.filter((w) => !seen.has(w.id)).map((w) => w.id);
  if (gone.length) {
    await tx.query(
      `UPDATE warnings SET cleared_at = $2, updated_at = $2, version = version + 1,
              state = CASE WHEN state IN ('open', 'acknowledged') THEN 'cleared' ELSE state END
        WHERE id = ANY($1::bigint[])`,
      [gone, now],
    );
    run.cleared = gone.length;
  }
  run.changed = [...changed, ...gone];
  await enqueue(tx, 'warning', run.changed);
}
