import { CODE_ALPHABET } from '@/lib/contracts/citizen';
import type { PastIncident } from '@/lib/sim/history';
import { casesOfIncidents, walkInCases, type PastCase } from '@/lib/sim/mediation';
import { seededRandom } from '@/lib/random';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { seedHistoryRecords } from '../seed/reviews';

export const BACKFILL_SOURCE = 'simulator:history';
// Two processes starting on one empty database must not both fill it.
const LOCK_KEY = 330_503_007;

/** A simulated resident's stable device id (DeviceId: 16–64 of [A-Za-z0-9_-]); the live residents use the same pool. */
export const residentDevice = (n: number): string => `sim-resident-${String(n).padStart(4, '0')}`;
/** How many simulated residents there are. */
export const RESIDENTS = 600;

/** The past report `i`'s resident: a stable one of the pool, so their key is known without asking the database. */
const deviceOf = (items: readonly PastIncident[], i: number): string | null => (items[i].citizen ? residentDevice((i * 7919) % RESIDENTS) : null);
/** The event's idempotency key: a resident's as submitCitizenRequest makes it (channel:device:key), the rest `history-<n>`. */
function keyOf(items: readonly PastIncident[], i: number): string {
  const device = deviceOf(items, i);
  return device ? `web:${device}:history-${i}` : `history-${i}`;
}

/** Tracking codes and pins for the residents' past requests, from the backfill's stream (the demo is the same on every run). */
function codeOf(rand: () => number): string {
  return Array.from({ length: 10 }, () => CODE_ALPHABET[Math.floor(rand() * CODE_ALPHABET.length)]).join('');
}

/**
 * All past incidents in ONE statement: rows travel as arrays (unnest), PostGIS places each in
 * its grid, village, town and station as createIncident does, and the same statement writes
 * each one's log step and, for a resident's report (issue 14; S9), its citizen_requests row with
 * its code, rating and all. Nothing is published: this is history, not news.
 */
export async function insertPastIncidents(tx: Tx, items: readonly PastIncident[], rand: () => number = seededRandom(14)): Promise<number> {
  if (items.length === 0) return 0;
  const col = <K extends keyof PastIncident>(k: K) => items.map((i) => i[k] ?? null);
  const device = items.map((_, i) => deviceOf(items, i));
  const code = device.map((d) => (d ? codeOf(rand) : null));
  const pin = device.map((d) => (d ? String(Math.floor(rand() * 1e6)).padStart(6, '0') : null));
  const res = await tx.query(
    `WITH b AS (
       SELECT *, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[],
                     $7::float8[], $8::text[], $9::float8[], $10::float8[],
                     $13::boolean[], $14::int[], $15::float8[], $16::text[], $17::text[], $18::text[], $19::text[])
              WITH ORDINALITY AS b(category, subcategory, title, severity, lon, lat, reported, state, state_at, deadline,
                                   citizen, rating, rated, key, code, pin, device, n)
     ), t AS (
       -- The stage times the cockpit measures (issue 13): the state was reached at state_at, which
       -- is this share of the whole handling time (lib/sim/history OPEN_STAGES; closed: all of it);
       -- accepted at a tenth of it, handled at nine tenths.
       SELECT b.*, to_timestamp(b.reported / 1000.0) AS r,
              CASE b.state WHEN 'accepted' THEN 0.1 WHEN 'assigned' THEN 0.3 WHEN 'in_progress' THEN 0.5
                           WHEN 'handled' THEN 0.9 WHEN 'closed' THEN 1.0 END AS share
         FROM b
     ), ins AS (
       INSERT INTO events (source, category, subcategory, title, description, severity, state, location,
                           grid_code, village_code, town_code, station_id, reported_at, updated_at, deadline_at,
                           accept_due_at, handle_due_at, accepted_at, handled_at, closed_at,
                           reported_by_citizen, rating, rated_at, idempotency_key)
       SELECT CASE WHEN b.citizen THEN 'citizen' ELSE $11 END, b.category, b.subcategory, b.title, $12, b.severity,
              -- A resident's rating moves a closed report on to 评价 (lib/events/machine 'rate').
              CASE WHEN b.rating IS NOT NULL THEN 'rated' ELSE b.state END, b.pt,
              g.grid, g.village, g.town, (SELECT station_id FROM station_villages WHERE village_code = g.village),
              b.r, to_timestamp(coalesce(b.rated, b.state_at) / 1000.0),
              -- Only a state with a running clock has a deadline (lib/events/deadlines stageOf).
              CASE WHEN b.state IN ('reported', 'accepted', 'assigned', 'coordinated', 'in_progress') THEN to_timestamp(b.deadline / 1000.0) END,
              b.r + interval '1 day', to_timestamp(b.deadline / 1000.0),
              CASE WHEN b.share IS NOT NULL THEN b.r + (to_timestamp(b.state_at / 1000.0) - b.r) * (0.1 / b.share) END,
              CASE WHEN b.share >= 0.9 THEN b.r + (to_timestamp(b.state_at / 1000.0) - b.r) * (0.9 / b.share) END,
              CASE WHEN b.state = 'closed' THEN to_timestamp(b.state_at / 1000.0) END,
              b.citizen, b.rating, to_timestamp(b.rated / 1000.0), b.key
         FROM t b LEFT JOIN LATERAL (
                SELECT g.code AS grid, v.code AS village, v.parent_code AS town
                  FROM regions g JOIN regions v ON v.code = g.parent_code
                 WHERE g.level = 'grid' AND ST_Intersects(g.geom, b.pt) ORDER BY g.code LIMIT 1) AS g ON true
        ORDER BY b.reported
       RETURNING id, state, updated_at, reported_at, station_id, rating, rated_at, idempotency_key
     ), req AS (
       -- The resident's request as submitCitizenRequest writes it (channel 'web', the phone's device id), without name or phone.
       INSERT INTO citizen_requests (code, pin, kind, channel, device_id, idempotency_key, request_hash, content_hash,
                                     event_id, station_id, rating, rated_at, created_at)
       SELECT b.code, b.pin, 'report', 'web', b.device, 'history-' || (b.n - 1), md5(b.key), md5(b.key),
              ins.id, ins.station_id, ins.rating, ins.rated_at, ins.reported_at
         FROM ins JOIN b ON b.key = ins.idempotency_key WHERE b.code IS NOT NULL
     )
     INSERT INTO event_log (event_id, at, to_state, note)
     SELECT id, updated_at, state, $11 FROM ins`,
    [
      col('category'), col('subcategory'), col('title'), col('severity'), col('lon'), col('lat'),
      col('reportedAt'), col('state'), col('stateAt'), col('deadlineAt'),
      BACKFILL_SOURCE, '演示模拟历史数据 (simulated history for the demo)',
      items.map((i) => i.citizen), col('rating'), col('ratedAt'), items.map((_, i) => keyOf(items, i)), code, pin, device,
    ],
  );
  return res.rowCount ?? 0;
}

/**
 * All past mediation cases in ONE statement (issue 14 point 5): those opened from a past dispute
 * find its event by the key insertPastIncidents gave it, walk-ins their station by index; each goes
 * to one of its station's mediators and that mediator's studio.
 */
export async function insertPastCases(tx: Tx, incidents: readonly PastIncident[], cases: readonly PastCase[], stationIds: readonly number[]): Promise<number> {
  if (cases.length === 0) return 0;
  const res = await tx.query(
    `WITH c AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::float8[],
                            $9::text[], $10::text[], $11::text[], $12::float8[], $13::float8[]) WITH ORDINALITY
                AS c(ekey, station, kind, parties, summary, opened, due, closed, outcome, referred, terms, pick, followup, n)
     ), s AS (
       SELECT c.*, e.id AS event_id, coalesce(e.station_id, c.station) AS station_id
         FROM c LEFT JOIN events e ON e.idempotency_key = c.ekey AND e.source IN ($14, 'citizen')
     )
     INSERT INTO mediation_cases (station_id, studio_id, mediator_id, event_id, dispute_kind, parties, summary, state, opened_at, due_at,
                                  outcome, referred_to, closed_at, agreement, followup_due_at, followup_at, followup_note, idempotency_key)
     SELECT s.station_id, m.studio_id, m.id, s.event_id, s.kind, s.parties::jsonb, s.summary,
            CASE WHEN s.closed IS NULL THEN 'open' ELSE 'closed' END, to_timestamp(s.opened / 1000.0), to_timestamp(s.due / 1000.0),
            s.outcome, s.referred, to_timestamp(s.closed / 1000.0),
            CASE WHEN s.terms IS NOT NULL THEN jsonb_build_object('terms', s.terms, 'performance', '协议签订之日起履行，调解员回访确认',
              'signedAt', to_char(to_timestamp(s.closed / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) END,
            to_timestamp(s.closed / 1000.0) + interval '30 days', to_timestamp(s.followup / 1000.0),
            CASE WHEN s.followup IS NOT NULL THEN '已回访，双方按协议履行，未再发生纠纷' END,
            'history:case:' || s.n
       FROM s LEFT JOIN LATERAL (
              SELECT d.id, d.studio_id FROM mediators d WHERE d.station_id = s.station_id AND d.active ORDER BY d.id
              OFFSET floor(s.pick * (SELECT count(*) FROM mediators x WHERE x.station_id = s.station_id AND x.active)) LIMIT 1) m ON true
      WHERE s.station_id IS NOT NULL
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [
      cases.map((c) => (c.incident === null ? null : keyOf(incidents, c.incident))),
      cases.map((c) => (c.station === null ? null : stationIds[c.station] ?? null)),
      cases.map((c) => c.disputeKind), cases.map((c) => JSON.stringify(c.parties)), cases.map((c) => c.summary),
      cases.map((c) => c.openedAt), cases.map((c) => c.dueAt), cases.map((c) => c.closedAt), cases.map((c) => c.outcome),
      cases.map((c) => c.referredTo), cases.map((c) => c.terms), cases.map((c) => c.mediator), cases.map((c) => c.followupAt),
      BACKFILL_SOURCE,
    ],
  );
  return res.rowCount ?? 0;
}

/** What the first start writes: the past weeks' incidents, and the past months' mediation cases. */
export interface History {
  incidents: PastIncident[];
  now: number;
  /** How far back walk-in mediation cases go (before the incidents' window they are the only history). */
  casesFrom: number;
  seed: number;
}

/** Walk-ins to a studio a day per station (issue 14: the 调解 figures have months behind them). */
const WALK_INS_PER_DAY = 0.6;

export interface Backfilled { incidents: number; cases: number }

/**
 * Fills an empty events table with history so the heatmap's 24 h / 7 d / 30 d windows have data,
 * the cockpit's 群众满意率 has residents' ratings and its 调解成功率 and 调解用时 months of cases.
 */
export async function backfillIfEmpty(db: Db, history: () => History): Promise<Backfilled> {
  return inTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const { rows } = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS any');
    if (rows[0].any) return { incidents: 0, cases: 0 };
    const h = history();
    const incidents = await insertPastIncidents(tx, h.incidents, seededRandom(h.seed));
    const rand = seededRandom(h.seed + 1);
    const first = h.incidents.length ? h.incidents[0].reportedAt : h.now;
    const { rows: stations } = await tx.query<{ id: number }>(`SELECT id FROM stations ORDER BY id`);
    const cases = [
      ...walkInCases(h.casesFrom, first, stations.length, WALK_INS_PER_DAY, h.now, rand),
      ...casesOfIncidents(h.incidents, h.now, rand),
    ];
    const written = { incidents, cases: await insertPastCases(tx, h.incidents, cases, stations.map((s) => s.id)) };
    // The demo's accountability records that refer to events need this history (issue 15; the seed writes no events).
    await seedHistoryRecords(tx, new Date(h.now));
    return written;
  });
}
