import { valueOf, ZERO_COUNTERS, NO_DURATIONS, type Figures } from '@/lib/analytics/figures';
import { areaRef } from '@/lib/analytics/area';
import { instantsOfPeriod, parsePeriod, type AssessmentPeriod } from '@/lib/assessment/periods';
import { starsFor } from '@/lib/assessment/rules';
import type { RuleSetV1 } from '@/lib/contracts/assessment';
import type { DayRange } from '@/lib/contracts/kpi';
import {
  REPORT_KPIS, REPORT_LIMITS, stationOfScope,
  type ReportKpisV1, type ReportOverdueV1, type ReportPersonV1, type ReportPointsRowV1, type ReportRedCardV1,
  type ReportScoreV1, type ReportStationV1, type ReportTeamV1, type ReportV1,
} from '@/lib/contracts/reports';
import type { ScoreItemV1 } from '@/lib/contracts/scores';
import { EMPTY_TALLY, ratios, rollUp, type Tally } from '@/lib/coverage/figures';
import { addDays } from '@/lib/analytics/period';
import { cohortSql, resolveArea, type Area } from '../analytics/areas';
import { countersRollup, durations, mediation, type GroupBy } from '../analytics/figures';
import { MISSED } from '../analytics/predicates';
import { gridTallies } from '../coverage/figures';
import type { Db } from '../db/pool';
import { args } from '../db/scope';
import { isoSql } from '../db/sql';
import { DomainError } from '../errors';

/*
 * A period's report (issue 15 point 6; S13, S14), gathered in a fixed number of set-based queries
 * whatever the number of stations and people: the cockpit's figure functions grouped by station
 * (server/analytics/figures: the day rollup and the duration histogram, so a district month never
 * sorts its events), one query for every score of the period with its rank, one each for the
 * overdue and red-card lists (bounded per station by a window, with the count beside), one for
 * points, and the coverage module's grid tallies once per month of the period.
 *
 * `scope` is already allowed (server/reports/access.ts): 'district' or 's:<id>'. A station's report
 * is gathered over that station alone, except its rank, which is counted among all stations and
 * shown as "第 n / N" — no other station's name or figure leaves this function.
 */

const WHOLE = '';
const round2 = (x: number) => Math.round(x * 100) / 100;
const notFound = (what: string) => new DomainError('not_found', 'not_found', what);

interface StationRow { id: number; name: string }

export interface GatherOptions {
  now?: Date;
}

export async function gatherReport(db: Db, periodKey: string, scope: string, opts: GatherOptions = {}): Promise<ReportV1> {
  const period = parsePeriod(periodKey);
  if (!period) throw new DomainError('invalid', 'invalid', '考评时段无效', [{ path: 'params.period', message: '须为 YYYY-MM、YYYY-Qn 或 YYYY' }]);
  const stationId = stationOfScope(scope);
  const { rows: stations } = await db.query<StationRow>(
    `SELECT id, name FROM stations WHERE $1::int IS NULL OR id = $1 ORDER BY id`,
    [stationId],
  );
  if (stationId !== null && stations.length === 0) throw notFound(`工作站 ${stationId} 不存在`);
  const area = await resolveArea(db, stationId === null ? 'district' : areaRef('station', stationId));
  if (!area) throw notFound('区域不存在');
  const { rows: frozenRows } = await db.query<{ frozenAt: string; ruleSetId: number }>(
    `SELECT ${isoSql('frozen_at')} AS "frozenAt", rule_set_id AS "ruleSetId" FROM assessment_periods WHERE period = $1`,
    [period.key],
  );
  const frozen = frozenRows[0] ?? null;
  const ids = stations.map((s) => s.id);

  const [tallies, figures, scores, overdue, redCards, points] = await Promise.all([
    coverageTallies(db, period, stationId),
    kpiFiguresBy(db, area, period.range, stationId === null),
    scoresOf(db, period.key, stationId),
    overdueOf(db, area, period.range),
    redCardsOf(db, area, period),
    pointsOf(db, period, ids),
  ]);
  const ruleSet = await ruleSetOf(db, frozen?.ruleSetId ?? scores.ruleSetId);

  const coverageOf = (t: Tally) => ({ num: t.placesVisited, den: t.placesOwed });
  const wholeTally = [...tallies.values()].reduce((a, t) => addTally(a, t), EMPTY_TALLY);
  const kpisFor = (key: string, t: Tally): ReportKpisV1 => kpisOf({ ...(figures.get(key) ?? EMPTY_FIGURES), coverage: coverageOf(t) });

  const reportStations: ReportStationV1[] = stations.map((s) => {
    const tally = tallies.get(s.id) ?? EMPTY_TALLY;
    const key = stationId === null ? String(s.id) : WHOLE;
    return {
      stationId: s.id,
      name: s.name,
      kpis: kpisFor(key, tally),
      score: scores.stations.get(s.id) ?? null,
      teams: scores.teams.get(s.id) ?? [],
      staff: (scores.people.get(s.id) ?? []).map((p) => ({ ...p, stationName: s.name })),
      overdue: overdue.get(s.id) ?? { count: 0, rows: [] },
      redCards: redCards.get(s.id) ?? { count: 0, rows: [] },
      coverage: { tally, ratios: ratios(tally) },
      points: points.get(s.id) ?? { people: 0, residents: 0, rows: [] },
    };
  });

  const scored = reportStations.filter((s) => s.score);
  const starCounts = [0, 0, 0, 0, 0, 0];
  for (const s of scored) starCounts[s.score!.stars]++;
  const byTotal = <T extends { total: number; name?: string }>(a: T, b: T) => b.total - a.total;
  const people = reportStations.flatMap((s) => s.staff);
  people.sort(byTotal);
  const scopeRanked = <T extends { total: number }>(list: T[]) => {
    const out: (T & { scopeRank: number })[] = [];
    list.forEach((x, i) => out.push({ ...x, scopeRank: i > 0 && list[i - 1].total === x.total ? out[i - 1].scopeRank : i + 1 }));
    return out;
  };
  const rankedPeople = scopeRanked(people);
  const teams = scopeRanked(reportStations.flatMap((s) => s.teams.map((t) => ({ ...t, stationName: s.name }))).sort(byTotal));

  return {
    v: 1,
    period: period.key,
    periodKind: period.kind,
    label: period.label,
    from: period.range.from,
    to: period.range.to,
    scope,
    scopeName: stationId === null ? area.info.name : stations[0].name,
    frozen: frozen !== null,
    frozenAt: frozen?.frozenAt ?? null,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    ruleSet,
    summary: {
      kpis: kpisFor(WHOLE, wholeTally),
      stations: stations.length,
      scored: scored.length,
      starCounts,
      averageTotal: scored.length ? round2(scored.reduce((a, s) => a + s.score!.total, 0) / scored.length) : null,
      overdue: reportStations.reduce((a, s) => a + s.overdue.count, 0),
      redCards: reportStations.reduce((a, s) => a + s.redCards.count, 0),
      points: reportStations.reduce((a, s) => a + s.points.people + s.points.residents, 0),
    },
    stations: reportStations,
    ranking: {
      stations: scored
        .map((s) => ({ rank: s.score!.rank, of: s.score!.of, stationId: s.stationId, name: s.name, total: s.score!.total, stars: s.score!.stars, adjustment: s.score!.adjustment }))
        .sort((a, b) => a.rank - b.rank || a.stationId - b.stationId),
      teams,
      staffTop: rankedPeople.slice(0, REPORT_LIMITS.staffTopBottom),
      staffBottom: rankedPeople.length > REPORT_LIMITS.staffTopBottom ? rankedPeople.slice(-REPORT_LIMITS.staffTopBottom).reverse() : [],
      staffCount: rankedPeople.length,
    },
  };
}

function addTally(a: Tally, b: Tally): Tally {
  const out = { ...a };
  for (const k of Object.keys(EMPTY_TALLY) as (keyof Tally)[]) out[k] = a[k] + b[k];
  return out;
}

const EMPTY_FIGURES: Figures = { counters: ZERO_COUNTERS, durations: NO_DURATIONS, mediation: { num: 0, den: 0 }, mediationDays: null, online: null, coverage: null };

function kpisOf(f: Figures): ReportKpisV1 {
  const out = {} as ReportKpisV1;
  for (const code of REPORT_KPIS) {
    const v = valueOf(code, f);
    out[code] = { value: v.value, num: v.numerator, den: v.denominator };
  }
  return out;
}

/**
 * The cockpit's counters, times and mediation of the area, whole ('') and, for the district, per
 * station (by id as text): the same functions and 口径 as /api/v1/kpi, so the report and the
 * cockpit never disagree. Coverage is added from the report's own tallies.
 */
async function kpiFiguresBy(db: Db, area: Area, range: DayRange, perStation: boolean): Promise<Map<string, Figures>> {
  const groups: GroupBy[] = perStation ? [null, 'station'] : [null];
  const parts = await Promise.all(groups.map((g) => Promise.all([countersRollup(db, area, range, g), durations(db, area, range, g), mediation(db, area, range, g)])));
  const out = new Map<string, Figures>();
  for (const [c, d, m] of parts) {
    for (const key of new Set([...c.keys(), ...d.keys(), ...(m?.keys() ?? [])])) {
      out.set(key, {
        counters: c.get(key) ?? ZERO_COUNTERS,
        durations: d.get(key) ?? NO_DURATIONS,
        mediation: m ? m.get(key) ?? { num: 0, den: 0 } : null,
        mediationDays: null,
        online: null,
        coverage: null,
      });
    }
  }
  return out;
}

/** The months of a period ('2026-10', …). */
function monthsOf(p: AssessmentPeriod): string[] {
  const out: string[] = [];
  for (let day = p.range.from; day <= p.range.to; day = addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7) + '-01') out.push(day.slice(0, 7));
  return out;
}

/**
 * S10's coverage tallies per station, summed over the months of the period (a quarter's ratio is
 * of the quarter's sums, never an average of months; the cockpit's 巡查覆盖率 is its places ratio).
 */
async function coverageTallies(db: Db, p: AssessmentPeriod, stationId: number | null): Promise<Map<number, Tally>> {
  const months = await Promise.all(monthsOf(p).map((m) => gridTallies(db, { kind: 'district' }, m, stationId ?? undefined)));
  return rollUp(months.flat(), (g) => g.stationId);
}

interface ScoreRow {
  kind: 'station' | 'team' | 'person';
  stationId: number;
  departmentCode: string | null;
  departmentName: string | null;
  personId: number | null;
  personName: string | null;
  ruleSetId: number;
  earned: number;
  deducted: number;
  computed: number;
  adjustment: number;
  total: number;
  eventCount: number;
  rank: number;
  of: number;
  items: ScoreItemV1[] | null;
}

interface Scores {
  ruleSetId: number | null;
  stations: Map<number, ReportScoreV1 & { items: ScoreItemV1[] }>;
  /** By station, best first. */
  teams: Map<number, ReportTeamV1[]>;
  people: Map<number, ReportPersonV1[]>;
}

/**
 * Every score of the period (migration 023), with the district's adjustments summed beside it, the
 * total clamped to 0..100 (lib/contracts/scores.ts ScoreV1.total) and ranked: stations among all
 * stations (a station's report needs its place among them), teams and people within their station.
 * Stars follow from the rule set each score was computed with.
 */
async function scoresOf(db: Db, period: string, stationId: number | null): Promise<Scores> {
  const { rows } = await db.query<ScoreRow>(
    `WITH adj AS (SELECT subject_key, sum(points) AS points FROM assessment_adjustments WHERE period = $1 GROUP BY subject_key),
     s AS (
       SELECT sc.subject_kind AS kind, sc.station_id, sc.department_code, sc.person_id, sc.rule_set_id,
              sc.earned, sc.deducted, sc.computed_total, coalesce(adj.points, 0) AS adjustment,
              least(100, greatest(0, sc.computed_total + coalesce(adj.points, 0))) AS total,
              cardinality(sc.event_ids) AS event_count,
              CASE WHEN sc.subject_kind = 'station' THEN sc.items END AS items
         FROM assessment_scores sc LEFT JOIN adj ON adj.subject_key = sc.subject_key
        WHERE sc.period = $1 AND (sc.subject_kind = 'station' OR $2::int IS NULL OR sc.station_id = $2)
     ),
     r AS (
       SELECT s.*, rank() OVER (g ORDER BY total DESC) AS rank, count(*) OVER g AS of
         FROM s WINDOW g AS (PARTITION BY kind, CASE WHEN kind = 'station' THEN 0 ELSE station_id END)
     )
     SELECT r.kind, r.station_id AS "stationId", r.department_code AS "departmentCode", d.name AS "departmentName",
            r.person_id AS "personId", p.name AS "personName", r.rule_set_id AS "ruleSetId",
            r.earned::float8 AS earned, r.deducted::float8 AS deducted, r.computed_total::float8 AS computed,
            r.adjustment::float8 AS adjustment, r.total::float8 AS total, r.event_count AS "eventCount",
            r.rank::int AS rank, r.of::int AS of, r.items
       FROM r LEFT JOIN departments d ON d.code = r.department_code LEFT JOIN people p ON p.id = r.person_id
      WHERE $2::int IS NULL OR r.station_id = $2
      ORDER BY r.kind, r.station_id, r.rank, r.person_id, r.department_code`,
    [period, stationId],
  );
  const sets = new Map<number, RuleSetV1>();
  for (const id of new Set(rows.map((r) => r.ruleSetId))) {
    const { rows: b } = await db.query<{ body: RuleSetV1 }>(`SELECT body FROM assessment_rule_sets WHERE id = $1`, [id]);
    if (b[0]) sets.set(id, b[0].body);
  }
  const base = (r: ScoreRow): ReportScoreV1 => {
    const set = sets.get(r.ruleSetId);
    return {
      total: r.total, computedTotal: r.computed, adjustment: r.adjustment, earned: r.earned, deducted: r.deducted,
      stars: set ? starsFor(set, r.total) : 0, rank: r.rank, of: r.of, eventCount: r.eventCount,
    };
  };
  const out: Scores = { ruleSetId: rows[0]?.ruleSetId ?? null, stations: new Map(), teams: new Map(), people: new Map() };
  const push = <T>(m: Map<number, T[]>, k: number, v: T) => void (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const r of rows) {
    if (r.kind === 'station') out.stations.set(r.stationId, { ...base(r), items: r.items ?? [] });
    else if (r.kind === 'team') push(out.teams, r.stationId, { ...base(r), departmentCode: r.departmentCode!, departmentName: r.departmentName ?? r.departmentCode! });
    else push(out.people, r.stationId, { ...base(r), personId: r.personId!, name: r.personName ?? `人员 ${r.personId}`, stationName: '' });
  }
  return out;
}

async function ruleSetOf(db: Db, id: number | null): Promise<ReportV1['ruleSet']> {
  if (id === null) return null;
  const { rows } = await db.query<{ id: number; year: number; version: number; name: string }>(
    `SELECT id, year, version, name FROM assessment_rule_sets WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * 超期清单: the events of the period's cohort that missed a limit or carry a card — the cockpit's
 * 超期件数 (server/analytics/predicates MISSED), so the list's count is that figure. Per station the
 * REPORT_LIMITS.overduePerStation latest-by-most-hours-late, with the full count beside.
 */
async function overdueOf(db: Db, area: Area, range: DayRange): Promise<Map<number, { count: number; rows: ReportOverdueV1[] }>> {
  const q = args([REPORT_LIMITS.overduePerStation]);
  const { rows } = await db.query<ReportOverdueV1 & { stationId: number; count: number }>(
    `WITH o AS (
       SELECT e.id, e.station_id, e.title, e.category, e.state, e.department_code, e.reported_at, e.card,
              coalesce(e.accepted_at > e.accept_due_at, false) AS late_accept,
              coalesce(e.handled_at > e.handle_due_at, false) AS late_handle,
              greatest(CASE WHEN e.accepted_at > e.accept_due_at THEN date_part('epoch', e.accepted_at - e.accept_due_at) END,
                       CASE WHEN e.handled_at > e.handle_due_at THEN date_part('epoch', e.handled_at - e.handle_due_at) END) / 3600 AS hours
         FROM events e WHERE ${cohortSql(area, range, q.arg)} AND e.station_id IS NOT NULL AND ${MISSED}
     ),
     n AS (SELECT o.*, row_number() OVER w AS rn, count(*) OVER (PARTITION BY station_id) AS n
             FROM o WINDOW w AS (PARTITION BY station_id ORDER BY hours DESC NULLS LAST, reported_at, id))
     SELECT n.station_id AS "stationId", n.n::int AS count, n.id::int AS "eventId", n.title, coalesce(k.label, n.category) AS category, n.state,
            d.name AS "departmentName", ${isoSql('n.reported_at')} AS "reportedAt",
            array_remove(ARRAY[CASE WHEN n.late_accept THEN '受理超期' END, CASE WHEN n.late_handle THEN '办理超期' END,
                               CASE n.card WHEN 'yellow' THEN '黄牌' WHEN 'red' THEN '红牌' END], NULL) AS missed,
            round(n.hours::numeric, 1)::float8 AS "hoursLate"
       FROM n LEFT JOIN departments d ON d.code = n.department_code LEFT JOIN categories k ON k.code = n.category
      WHERE n.rn <= $1 ORDER BY n.station_id, n.rn`,
    q.args,
  );
  return groupByStation(rows);
}

function groupByStation<T extends { stationId: number; count: number }>(rows: T[]): Map<number, { count: number; rows: Omit<T, 'stationId' | 'count'>[] }> {
  const out = new Map<number, { count: number; rows: Omit<T, 'stationId' | 'count'>[] }>();
  for (const { stationId, count, ...row } of rows) {
    const g = out.get(stationId) ?? { count, rows: [] };
    g.rows.push(row);
    out.set(stationId, g);
  }
  return out;
}

/**
 * 红牌清单: red cards raised in the period (the event log's supervise entries with card red, by the
 * time raised — the `red_cards` indicator's 口径), latest first, bounded per station like the overdue list.
 */
async function redCardsOf(db: Db, area: Area, p: AssessmentPeriod): Promise<Map<number, { count: number; rows: ReportRedCardV1[] }>> {
  const { from, to } = instantsOfPeriod(p);
  const q = args([from, to, REPORT_LIMITS.redCardsPerStation]);
  const where = area.kind === 'station' ? `e.station_id = ${q.arg(area.stationId)}` : 'e.station_id IS NOT NULL';
  const { rows } = await db.query<ReportRedCardV1 & { stationId: number; count: number }>(
    `WITH c AS (
       SELECT e.station_id, e.id, e.title, e.category, e.state, e.department_code, l.at,
              row_number() OVER w AS rn, count(*) OVER (PARTITION BY e.station_id) AS n
         FROM event_log l JOIN events e ON e.id = l.event_id
        WHERE l.action = 'supervise' AND l.data ->> 'card' = 'red' AND l.at >= $1 AND l.at < $2 AND ${where}
       WINDOW w AS (PARTITION BY e.station_id ORDER BY l.at DESC, l.id DESC)
     )
     SELECT c.station_id AS "stationId", c.n::int AS count, c.id::int AS "eventId", c.title, coalesce(k.label, c.category) AS category, c.state,
            d.name AS "departmentName", ${isoSql('c.at')} AS "cardedAt"
       FROM c LEFT JOIN departments d ON d.code = c.department_code LEFT JOIN categories k ON k.code = c.category
      WHERE c.rn <= $3 ORDER BY c.station_id, c.rn`,
    q.args,
  );
  return groupByStation(rows);
}

/** Points earned at each station in the period (clawbacks included, redemptions not; lib/points): people ranked, residents summed. */
async function pointsOf(db: Db, p: AssessmentPeriod, stations: number[]): Promise<Map<number, ReportStationV1['points']>> {
  const { from, to } = instantsOfPeriod(p);
  const { rows } = await db.query<{ stationId: number; personId: number | null; name: string | null; points: number; rank: number | null; people: number; residents: number }>(
    `WITH l AS (
       SELECT station_id, person_id, sum(points)::int AS points
         FROM points_ledger
        WHERE at >= $1 AND at < $2 AND rule_code IS NOT NULL AND station_id = ANY($3::int[])
        GROUP BY station_id, person_id
     ),
     r AS (
       SELECT l.*, CASE WHEN person_id IS NOT NULL THEN rank() OVER (PARTITION BY station_id, person_id IS NULL ORDER BY points DESC) END AS rank,
              sum(points) FILTER (WHERE person_id IS NOT NULL) OVER (PARTITION BY station_id) AS people,
              sum(points) FILTER (WHERE person_id IS NULL) OVER (PARTITION BY station_id) AS residents,
              row_number() OVER (PARTITION BY station_id, person_id IS NULL ORDER BY points DESC, person_id) AS rn
         FROM l
     )
     SELECT r.station_id AS "stationId", r.person_id AS "personId", p.name, r.points, r.rank::int AS rank,
            coalesce(r.people, 0)::int AS people, coalesce(r.residents, 0)::int AS residents
       FROM r LEFT JOIN people p ON p.id = r.person_id
      WHERE r.person_id IS NULL OR r.rn <= $4
      ORDER BY r.station_id, r.rn`,
    [from, to, stations, REPORT_LIMITS.pointsPerStation],
  );
  const out = new Map<number, ReportStationV1['points']>();
  for (const r of rows) {
    const g = out.get(r.stationId) ?? { people: r.people, residents: r.residents, rows: [] as ReportPointsRowV1[] };
    if (r.personId !== null) g.rows.push({ rank: r.rank!, personId: r.personId, name: r.name ?? `人员 ${r.personId}`, points: r.points });
    out.set(r.stationId, g);
  }
  return out;
}
