import { reachOf, type Reach } from '@/lib/access/scope';
import { ASSESSMENT_READERS, starsFor } from '@/lib/assessment/rules';
import type { RuleSetV1 } from '@/lib/contracts/assessment';
import { subjectKey as keyOf, type AdjustmentV1, type ScoreDetailV1, type ScoreEventV1, type ScoreListQuery, type ScoreV1, type StationStarsV1 } from '@/lib/contracts/scores';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import { DomainError, forbidden } from '../errors';
import { EVENT_FACTS } from './figures';

/*
 * Reading scores (issue 15 point 2; S13, S14). Readers: ASSESSMENT_READERS — the district roles
 * everything, a station's two leaders their station's rows (the station, its teams, its people);
 * anyone on staff their own person's rows; a wall its stations' stars. The total is computed +
 * the district's adjustments, within 0..100; the stars follow from it by the bands of the rule set
 * the score was computed with; the rank is among the period's subjects of the same kind (teams and
 * people: of the same station), over all of them, whoever reads.
 */

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const reachOfSession = (s: Session): Reach => reachOf({ role: s.role, stationId: s.stationId, department: null });
const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what}不存在或不在职责范围内`);

export function checkScoreReader(s: Session): Reach {
  if (!ASSESSMENT_READERS.includes(s.role)) throw forbidden();
  return reachOfSession(s);
}

/** The station a reader is held to, or null for the whole district. */
function stationOf(reach: Reach): number | null {
  if (reach.kind === 'district') return null;
  if (reach.kind === 'station') return reach.stationId;
  throw forbidden();
}

type Row = Omit<ScoreV1, 'stars'>;

/**
 * Scores with adjustment, total and rank, ranked over `where` (on assessment_scores `sc`) and then
 * kept by `keep` (on the ranked rows `r`). $1.. are the caller's.
 */
async function ranked(db: Db | Tx, where: string, keep: string, params: unknown[]): Promise<Row[]> {
  const { rows } = await db.query<Row>(
    `WITH s AS (
       SELECT sc.*, coalesce(a.points, 0)::float8 AS adjustment,
              least(greatest(sc.computed_total + coalesce(a.points, 0), 0), 100)::float8 AS total
         FROM assessment_scores sc
         LEFT JOIN (SELECT period, subject_key, sum(points) AS points FROM assessment_adjustments GROUP BY period, subject_key) a
                ON a.period = sc.period AND a.subject_key = sc.subject_key
        WHERE ${where}),
     r AS (
       SELECT s.*, rank() OVER (PARTITION BY s.period, s.subject_kind, CASE WHEN s.subject_kind = 'station' THEN 0 ELSE s.station_id END
                                ORDER BY s.total DESC)::int AS rank FROM s)
     SELECT r.id::int, r.period, r.period_kind AS "periodKind", r.subject_kind AS "subjectKind", r.subject_key AS "subjectKey",
            r.station_id AS "stationId", st.name AS "stationName", r.department_code AS "departmentCode", d.name AS "departmentName",
            r.person_id AS "personId", p.name AS "personName", r.rule_set_id AS "ruleSetId", rs.version AS "ruleVersion",
            r.earned::float8 AS earned, r.deducted::float8 AS deducted, r.computed_total::float8 AS "computedTotal",
            r.adjustment, r.total, r.rank, cardinality(r.event_ids)::int AS "eventCount", r.frozen_at IS NOT NULL AS frozen,
            ${ISO('r.frozen_at')} AS "frozenAt", ${ISO('r.computed_at')} AS "computedAt"
       FROM r JOIN stations st ON st.id = r.station_id JOIN assessment_rule_sets rs ON rs.id = r.rule_set_id
       LEFT JOIN departments d ON d.code = r.department_code LEFT JOIN people p ON p.id = r.person_id
      WHERE ${keep}
      ORDER BY r.period DESC, r.rank, r.subject_key`,
    params,
  );
  return rows;
}

/** The star bands of the rule sets the rows were computed with. */
async function withStars(db: Db | Tx, rows: Row[]): Promise<ScoreV1[]> {
  const ids = [...new Set(rows.map((r) => r.ruleSetId))];
  const { rows: sets } = await db.query<{ id: number; body: RuleSetV1 }>(`SELECT id, body FROM assessment_rule_sets WHERE id = ANY($1::int[])`, [ids]);
  const bands = new Map(sets.map((s) => [s.id, s.body]));
  return rows.map((r) => ({ ...r, stars: starsFor(bands.get(r.ruleSetId)!, r.total) }));
}

export async function listScores(db: Db, s: Session, q: ScoreListQuery): Promise<ScoreV1[]> {
  const own = stationOf(checkScoreReader(s));
  if (own !== null && q.stationId !== undefined && q.stationId !== own) throw notFound(`工作站 ${q.stationId} `);
  const station = q.stationId ?? own;
  const rows = await ranked(db, `sc.period = $1 AND sc.subject_kind = $2`, `($3::int IS NULL OR r.station_id = $3)`, [q.period, q.subjectKind, station]);
  return withStars(db, rows);
}

/**
 * A score with its items, figures, adjustments and the first 500 of its events, each with what it
 * counted for: a frozen score's as kept when it was frozen (the station row's event_facts; compute.ts),
 * an open one's as the events are now. Title, category and state are always today's. A reader held to
 * one station sees only that station's events (a person's row holds only its station's, but one
 * computed before that rule, or an event moved since, must not show another station's).
 */
export async function scoreDetail(db: Db, s: Session, id: number): Promise<ScoreDetailV1> {
  const own = stationOf(checkScoreReader(s));
  const { rows: head } = await db.query<{ period: string; kind: string; stationId: number; frozen: boolean }>(
    `SELECT period, subject_kind AS kind, station_id AS "stationId", frozen_at IS NOT NULL AS frozen FROM assessment_scores WHERE id = $1`,
    [id],
  );
  const h = head[0];
  if (!h || (own !== null && h.stationId !== own)) throw notFound(`考评得分 ${id} `);
  const [row] = await withStars(db, await ranked(db, `sc.period = $1 AND sc.subject_kind = $2`, `r.id = $3`, [h.period, h.kind, id]));
  const { rows: more } = await db.query<{ items: ScoreDetailV1['items']; figures: ScoreDetailV1['figures']; eventIds: number[]; subjectKey: string }>(
    `SELECT items, figures, event_ids AS "eventIds", subject_key AS "subjectKey" FROM assessment_scores WHERE id = $1`,
    [id],
  );
  const { rows: adjustments } = await db.query<AdjustmentV1>(
    `SELECT id::int, points::float8 AS points, reason, by_name AS "byName", ${ISO('at')} AS at
       FROM assessment_adjustments WHERE period = $1 AND subject_key = $2 ORDER BY at, id`,
    [h.period, more[0].subjectKey],
  );
  const { rows: events } = await db.query<ScoreEventV1>(
    `WITH kept AS (SELECT event_facts AS f FROM assessment_scores WHERE $3 AND period = $4 AND subject_key = $5 AND frozen_at IS NOT NULL),
          x AS (SELECT e.*, coalesce((SELECT kept.f -> e.id::text FROM kept), ${EVENT_FACTS}) AS f
                  FROM (SELECT * FROM events e WHERE e.id = ANY($1::bigint[]) AND ($2::int IS NULL OR e.station_id = $2)
                         ORDER BY e.reported_at, e.id LIMIT 500) e)
     SELECT x.id::int, x.title, x.category, x.state, ${ISO('x.reported_at')} AS "reportedAt",
            (x.f ->> 0)::boolean AS "onTimeAccept", (x.f ->> 1)::boolean AS "onTime", x.f ->> 2 AS card, (x.f ->> 3)::int AS rating,
            (x.f ->> 4)::boolean AS "petitionSkip", (x.f ->> 5)::boolean AS "groupIncident"
       FROM x ORDER BY x.reported_at, x.id`,
    [more[0].eventIds, own, h.frozen, h.period, keyOf.station(h.stationId)],
  );
  return { ...row, items: more[0].items, figures: more[0].figures, adjustments, events };
}

/** The caller's own person's scores, every period (any staff role; an account without a person has none). */
export async function myScores(db: Db, s: Session): Promise<ScoreV1[]> {
  if (s.role === 'display') throw forbidden();
  const { rows } = await db.query<{ personId: number | null }>(`SELECT person_id AS "personId" FROM accounts WHERE id = $1`, [s.uid]);
  const person = rows[0]?.personId ?? null;
  if (person === null) return [];
  const ranked_ = await ranked(
    db,
    `sc.subject_kind = 'person' AND sc.period IN (SELECT period FROM assessment_scores WHERE person_id = $1)`,
    `r.person_id = $1`,
    [person],
  );
  return withStars(db, ranked_);
}

/**
 * The stars of the stations a session reaches (S14 星级联动站): the latest frozen month's. Readers:
 * ASSESSMENT_READERS and the wall (a station's wall its station, a district wall all).
 */
export async function stationStars(db: Db, s: Session): Promise<StationStarsV1[]> {
  const reach = s.role === 'display' ? reachOfSession(s) : checkScoreReader(s);
  const own = stationOf(reach);
  const { rows: latest } = await db.query<{ period: string }>(
    `SELECT period FROM assessment_periods WHERE period_kind = 'month' ORDER BY period DESC LIMIT 1`,
  );
  if (!latest[0]) return [];
  const rows = await withStars(db, await ranked(db, `sc.period = $1 AND sc.subject_kind = 'station'`, `($2::int IS NULL OR r.station_id = $2)`, [latest[0].period, own]));
  return rows.sort((a, b) => a.stationId - b.stationId).map((r) => ({ stationId: r.stationId, period: r.period, stars: r.stars, total: r.total }));
}

/** One score as its list shows it (after an adjustment, say); null when there is none. */
export async function scoreOf(db: Db | Tx, period: string, subjectKey: string): Promise<ScoreV1 | null> {
  const rows = await ranked(db, `sc.period = $1 AND sc.subject_kind = (SELECT subject_kind FROM assessment_scores WHERE period = $1 AND subject_key = $2)`, `r.subject_key = $2`, [period, subjectKey]);
  return rows[0] ? (await withStars(db, rows))[0] : null;
}
