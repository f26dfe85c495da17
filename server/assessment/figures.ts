import { addDays } from '@/lib/analytics/period';
import { applies } from '@/lib/assessment/applicability';
import { INDICATOR_CODES, INDICATOR_BY_CODE, type IndicatorCode } from '@/lib/assessment/indicators';
import { instantsOfPeriod, type AssessmentPeriod } from '@/lib/assessment/periods';
import { compliance, requiredInspections, type KeyPeriod } from '@/lib/command/inspections';
import { meetingsOfMonth } from '@/lib/command/meetings';
import type { FigureV1, FiguresV1, SubjectKind } from '@/lib/contracts/scores';
import { subjectKey } from '@/lib/contracts/scores';
import type { Part } from '@/lib/analytics/figures';
import { shanghaiDay, type HolidayCalendar } from '@/lib/time/workdays';
import { coverage as coverageFigures, mediation as mediationFigures } from '../analytics/figures';
import type { Area } from '../analytics/areas';
import { CLOSED, CLOSED_ON_TIME, COUNTED, RATED, SATISFIED } from '../analytics/predicates';
import type { Db } from '../db/pool';

/*
 * The figures of every subject of a period (issue 15 point 2; S13, S14), set-based: a handful of
 * queries, each GROUPed BY station, station × department and station × handler at once (GROUPING
 * SETS), never one query per subject. Each indicator is counted as lib/assessment/indicators.ts
 * writes its 口径; lib/assessment/applicability.ts says which subject has which. naive.ts counts the same for one
 * subject with one query per indicator: the bench's baseline and the test's reference.
 */

/** One subject's figures and its cohort (the events reported in the period that it answers for). */
export interface SubjectFigures {
  kind: SubjectKind;
  key: string;
  stationId: number;
  departmentCode: string | null;
  personId: number | null;
  figures: FiguresV1;
  eventIds: number[];
}

/** What each cohort event counts for (the predicates of the cockpit, server/analytics/predicates.ts). */
export const ACCEPTED_COUNTED = `(e.accepted_at IS NOT NULL AND ${COUNTED})`;
/** No limit set is no limit missed, as the cockpit's 超期 (MISSED) reads it. */
export const ACCEPTED_ON_TIME = `(${ACCEPTED_COUNTED} AND NOT coalesce(e.accepted_at > e.accept_due_at, false))`;
export const COMPLAINT = `(e.kind = 'complaint' AND e.reported_by_citizen)`;
export const PETITION = `(e.petition_skip AND ${COUNTED})`;
export const GROUP_INCIDENT = `(e.group_incident AND ${COUNTED})`;
export { CLOSED, CLOSED_ON_TIME, RATED, SATISFIED };
export const SATISFIED_RATED = `(${RATED} AND ${SATISFIED})`;

/**
 * The person who handled an event `e`: the account of its last 处置 step (event_log action
 * 'handle'), by its person. An event re-handled after a failed verification is the last handler's.
 */
export const HANDLER = `(SELECT a.person_id FROM event_log hl JOIN accounts a ON a.id = hl.actor_id
                          WHERE hl.event_id = e.id AND hl.action = 'handle' ORDER BY hl.at DESC, hl.id DESC LIMIT 1)`;

/** What the cohort's predicates read of an event. */
export const COHORT_COLUMNS = `e.id, e.station_id, e.department_code, e.state, e.kind, e.reported_by_citizen, e.accepted_at, e.accept_due_at,
  e.handled_at, e.handle_due_at, e.closed_at, e.rating, e.petition_skip, e.group_incident`;

/** The verifications and cards of a period, by the time they were logged. */
export const LOGGED_FACTS = `(l.action IN ('verify_pass', 'verify_fail') OR (l.action = 'supervise' AND l.data ->> 'card' IN ('yellow', 'red')))`;

/** 通报批评 1, 约谈 2, 问责 3 (lib/assessment/indicators.ts accountability). */
export const ACCOUNTABILITY_WEIGHT = `(CASE r.kind WHEN 'notice' THEN 1 WHEN 'talk' THEN 2 WHEN 'accountability' THEN 3 END)`;

/**
 * What a score's list of events says of an event `e` (ScoreEventV1: on-time acceptance, on-time
 * handling, card, rating, 越级信访, 群体性事件) as one compact array. Kept with a frozen score
 * (migration 023 event_facts) and read back instead of the event as it is today; built live for an
 * open one. ~40 bytes an event, against ~90 as an object.
 */
export const EVENT_FACTS = `jsonb_build_array(CASE WHEN ${ACCEPTED_COUNTED} THEN ${ACCEPTED_ON_TIME} END, CASE WHEN ${CLOSED} THEN ${CLOSED_ON_TIME} END,
  e.card, e.rating, e.petition_skip, e.group_incident)`;

export const ratio = (p: Part): FigureV1 => ({ value: p.den > 0 ? p.num / p.den : null, num: p.num, den: p.den });
export const count = (n: number): FigureV1 => ({ value: n, num: n });
const NONE: FigureV1 = { value: null };

/** The district as an area of the cockpit's figures (coverage, mediation), or one station. */
export function areaOf(stationId?: number): Area {
  return stationId === undefined
    ? { info: { ref: 'district', kind: 'district', name: '全区', parent: null }, kind: 'district', key: '', stationId: null }
    : { info: { ref: `station:${stationId}`, kind: 'station', name: '', parent: null }, kind: 'station', key: String(stationId), stationId };
}

/** The holiday table as the meeting and inspection calendars read it. */
export async function calendarOf(db: Db): Promise<HolidayCalendar> {
  const { rows } = await db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays`);
  return {
    holidays: new Set(rows.filter((d) => d.kind === 'holiday').map((d) => d.day)),
    workdays: new Set(rows.filter((d) => d.kind === 'workday').map((d) => d.day)),
  };
}

/** The months of a period that have begun by `now` (an open period owes nothing of months to come). */
export function monthsBegun(p: AssessmentPeriod, now: Date): string[] {
  const today = shanghaiDay(now);
  const out: string[] = [];
  for (let day = p.range.from; day <= p.range.to && day <= today; day = addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7) + '-01') out.push(day.slice(0, 7));
  return out;
}

/* ---------- the station's own figures (S10, S11, S4, S14): one query each for all stations, or for one ---------- */

/**
 * 会商召开率 (S11): weekly and monthly consultations planned in the period that were opened
 * (started_at set: 已开始或已结束), ÷ those S11 asks for (lib/command/meetings: one a week, one a
 * month) whose time has come by `now`. The same plan for every station.
 */
export async function consultationParts(db: Db, p: AssessmentPeriod, now: Date, cal: HolidayCalendar, stationId?: number): Promise<{ owed: number; held: Map<number, number> }> {
  const { from, to } = instantsOfPeriod(p);
  const until = Math.min(to.getTime(), now.getTime());
  const owed = monthsBegun(p, now).flatMap((m) => meetingsOfMonth(m, cal)).filter((m) => m.startsAt.getTime() <= until).length;
  const { rows } = await db.query<{ stationId: number; n: number }>(
    `SELECT station_id AS "stationId", count(*)::int AS n FROM consultations
      WHERE kind IN ('weekly', 'monthly') AND started_at IS NOT NULL AND scheduled_at >= $1 AND scheduled_at < $2
        AND ($3::int IS NULL OR station_id = $3) GROUP BY station_id`,
    [from, to, stationId ?? null],
  );
  return { owed, held: new Map(rows.map((r) => [r.stationId, r.n])) };
}

/**
 * 联查开展率 (S10): per station and month, lib/command/inspections' requirements (resident
 * departments weekly, the station monthly, key periods intensified), each requirement's done
 * capped at its required (每项完成数不超过要求数). Windows not yet begun at `now` are not owed.
 */
export async function inspectionParts(db: Db, p: AssessmentPeriod, now: Date, cal: HolidayCalendar, stationId?: number): Promise<Map<number, Part>> {
  const months = monthsBegun(p, now);
  const out = new Map<number, Part>();
  if (!months.length) return out;
  // A month's weeks reach a few days into the months either side.
  const spanFrom = addDays(p.range.from, -7);
  const spanTo = addDays(p.range.to, 7);
  const one = stationId ?? null;
  const [stations, resident, periods, done] = await Promise.all([
    db.query<{ id: number }>(`SELECT id FROM stations WHERE $1::int IS NULL OR id = $1 ORDER BY id`, [one]),
    db.query<{ stationId: number; code: string }>(
      `SELECT sd.station_id AS "stationId", d.code FROM station_departments sd JOIN departments d ON d.id = sd.department_id
        WHERE sd.residency = 'resident' AND ($1::int IS NULL OR sd.station_id = $1) ORDER BY sd.station_id, d.id`,
      [one],
    ),
    db.query<KeyPeriod & { stationId: number | null }>(
      `SELECT name, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn", station_id AS "stationId"
         FROM key_periods WHERE starts_on <= $2::date AND ends_on >= $1::date AND ($3::int IS NULL OR station_id IS NULL OR station_id = $3)
        ORDER BY starts_on, id`,
      [spanFrom, spanTo, one],
    ),
    db.query<{ stationId: number; kind: 'department_weekly' | 'station_monthly'; department: string | null; day: string }>(
      `SELECT station_id AS "stationId", kind, department_code AS department, to_char(day, 'YYYY-MM-DD') AS day
         FROM inspections WHERE day BETWEEN $1::date AND $2::date AND ($3::int IS NULL OR station_id = $3)`,
      [spanFrom, spanTo, one],
    ),
  ]);
  const today = shanghaiDay(now);
  const by = <T extends { stationId: number | null }>(rows: T[], id: number) => rows.filter((r) => r.stationId === id || r.stationId === null);
  for (const { id } of stations.rows) {
    const deps = resident.rows.filter((r) => r.stationId === id).map((r) => r.code);
    const keys = by(periods.rows, id);
    const mine = done.rows.filter((d) => d.stationId === id);
    const part = { num: 0, den: 0 };
    for (const month of months) {
      const reqs = requiredInspections(month, deps, keys, cal)
        .map((r) => {
          const windows = r.windows.filter((w) => w.from <= today);
          return { ...r, windows, required: windows.reduce((n, w) => n + w.required, 0) };
        })
        .filter((r) => r.required > 0);
      for (const c of compliance(reqs, mine)) {
        part.num += Math.min(c.done, c.required);
        part.den += c.required;
      }
    }
    out.set(id, part);
  }
  return out;
}

/**
 * 巡查覆盖率 (S10, issue 12) as the cockpit counts it, month by month (places visited ÷ owed),
 * averaged over the period's begun months that owed anything; num/den are the sums.
 */
export async function coverageFigure(db: Db, p: AssessmentPeriod, now: Date, stationId?: number): Promise<Map<number, FigureV1>> {
  const months = await Promise.all(monthsBegun(p, now).map((m) => coverageFigures(db, areaOf(stationId), { from: `${m}-01`, to: `${m}-28` }, 'station')));
  const sums = new Map<number, { num: number; den: number; ratios: number[] }>();
  for (const month of months)
    for (const [key, part] of month) {
      const s = sums.get(Number(key)) ?? { num: 0, den: 0, ratios: [] };
      s.num += part.num;
      s.den += part.den;
      if (part.den > 0) s.ratios.push(part.num / part.den);
      sums.set(Number(key), s);
    }
  return new Map([...sums].map(([id, s]) => [id, { value: s.ratios.length ? s.ratios.reduce((a, b) => a + b, 0) / s.ratios.length : null, num: s.num, den: s.den }]));
}

/** 调解成功率 (S4, S8) as the cockpit counts it: cases closed in the period. */
export async function mediationParts(db: Db, p: AssessmentPeriod, stationId?: number): Promise<Map<number, Part>> {
  const m = await mediationFigures(db, areaOf(stationId), p.range, 'station');
  return new Map([...(m ?? new Map<string, Part>())].map(([k, v]) => [Number(k), v]));
}

/** 建设验收得分率 (S14): the station's scored review of the period's year. */
export async function reviewParts(db: Db, p: AssessmentPeriod, stationId?: number): Promise<Map<number, Part>> {
  const { rows } = await db.query<{ stationId: number; num: number; den: number }>(
    `SELECT station_id AS "stationId", score::float8 AS num, max_score::float8 AS den FROM station_reviews
      WHERE year = $1 AND state = 'scored' AND ($2::int IS NULL OR station_id = $2)`,
    [p.year, stationId ?? null],
  );
  return new Map(rows.map((r) => [r.stationId, { num: r.num, den: r.den }]));
}

/* ---------- events, logs and records, grouped by station, team and handler at once ---------- */

interface Grouped {
  stationId: number | null;
  department: string | null;
  handler: number | null;
  /** 0: the station's row, 1: the team's, 2: the handler's. */
  g: 0 | 1 | 2;
}
/**
 * Over rows aliased `e` that carry station_id, department_code and handler. A handler is grouped per
 * station: a person who handled events at two stations in a period is filed under one of them and
 * counted with its events only (personStation below), never with the other station's.
 */
const GROUPS = `GROUPING SETS ((e.station_id), (e.station_id, e.department_code), (e.station_id, e.handler))`;
const G = `(CASE WHEN GROUPING(e.handler) = 0 THEN 2 WHEN GROUPING(e.department_code) = 0 THEN 1 ELSE 0 END)::int AS g,
           e.station_id AS "stationId", e.department_code AS department, e.handler`;

/** The subject key of a station's or a team's row; a handler's rows are kept per station (Facts.handled). */
const keyOfGroup = (r: Grouped): string | null => {
  if (r.stationId === null || r.g === 2) return null;
  if (r.g === 1) return r.department === null ? null : subjectKey.team(r.stationId, r.department);
  return subjectKey.station(r.stationId);
};

interface CohortRow extends Grouped {
  accNum: number; accDen: number; otNum: number; otDen: number; rated: number; satisfied: number;
  complaints: number; petitions: number; groups: number; ids: number[];
}
interface LogRow extends Grouped { vPass: number; vAll: number; red: number; yellow: number }
interface Totals {
  cohort?: CohortRow;
  log?: LogRow;
  complaintsAbout?: number;
  accountability?: { points: number; records: number };
}

interface Facts {
  totals: Map<string, Totals>;
  teams: Map<string, { stationId: number; department: string }>;
  /** Each handler's events, log facts and complaints, per station they occurred at. */
  handled: Map<number, Map<number, Totals>>;
  /** The accountability records naming each person (whatever the station: they are the person's), with the records' stations. */
  named: Map<number, { points: number; records: number; stations: number[] }>;
}

async function eventFacts(db: Db, p: AssessmentPeriod): Promise<Facts> {
  const { from, to } = instantsOfPeriod(p);
  const [cohort, logged, about, records] = await Promise.all([
    db.query<CohortRow>(
      `WITH x AS (SELECT ${COHORT_COLUMNS}, ${HANDLER} AS handler FROM events e WHERE e.reported_at >= $1 AND e.reported_at < $2)
       SELECT ${G},
              count(*) FILTER (WHERE ${ACCEPTED_ON_TIME})::int AS "accNum",
              count(*) FILTER (WHERE ${ACCEPTED_COUNTED})::int AS "accDen",
              count(*) FILTER (WHERE ${CLOSED_ON_TIME})::int AS "otNum",
              count(*) FILTER (WHERE ${CLOSED})::int AS "otDen",
              count(*) FILTER (WHERE ${RATED})::int AS rated,
              count(*) FILTER (WHERE ${SATISFIED_RATED})::int AS satisfied,
              count(*) FILTER (WHERE ${COMPLAINT})::int AS complaints,
              count(*) FILTER (WHERE ${PETITION})::int AS petitions,
              count(*) FILTER (WHERE ${GROUP_INCIDENT})::int AS groups,
              array_agg(e.id ORDER BY e.id) AS ids
         FROM x e GROUP BY ${GROUPS}`,
      [from, to],
    ),
    db.query<LogRow>(
      `WITH l AS (SELECT l.event_id, l.action, l.data ->> 'card' AS card FROM event_log l WHERE l.at >= $1 AND l.at < $2 AND ${LOGGED_FACTS}),
            x AS (SELECT e.id, e.station_id, e.department_code, ${HANDLER} AS handler FROM events e WHERE e.id IN (SELECT event_id FROM l))
       SELECT ${G},
              count(*) FILTER (WHERE l.action = 'verify_pass')::int AS "vPass",
              count(*) FILTER (WHERE l.action IN ('verify_pass', 'verify_fail'))::int AS "vAll",
              count(*) FILTER (WHERE l.card = 'red')::int AS red,
              count(*) FILTER (WHERE l.card = 'yellow')::int AS yellow
         FROM l JOIN x e ON e.id = l.event_id GROUP BY ${GROUPS}`,
      [from, to],
    ),
    // A complaint counts against the team and the handler of the event it is about (the station's: its own, above).
    db.query<Grouped & { n: number }>(
      `WITH x AS (SELECT e.station_id, e.department_code, ${HANDLER} AS handler
                    FROM events c JOIN events e ON e.id = c.about_event_id
                   WHERE c.reported_at >= $1 AND c.reported_at < $2 AND c.kind = 'complaint' AND c.reported_by_citizen)
       SELECT ${G}, count(*)::int AS n FROM x e GROUP BY ${GROUPS}`,
      [from, to],
    ),
    db.query<{ stationId: number; department: string | null; points: number; people: number[] }>(
      `SELECT r.station_id AS "stationId", r.department_code AS department, ${ACCOUNTABILITY_WEIGHT} AS points,
              ARRAY(SELECT ap.person_id FROM accountability_people ap WHERE ap.record_id = r.id) AS people
         FROM accountability_records r
        WHERE r.revoked_at IS NULL AND r.decided_on BETWEEN $1::date AND $2::date ORDER BY r.decided_on, r.id`,
      [p.range.from, p.range.to],
    ),
  ]);
  const totals = new Map<string, Totals>();
  const teams = new Map<string, { stationId: number; department: string }>();
  const handled = new Map<number, Map<number, Totals>>();
  const at = (key: string) => totals.get(key) ?? (totals.set(key, {}), totals.get(key)!);
  /** The Totals a grouped row adds to: its station's or team's, or its handler's at its station. */
  const slot = (r: Grouped): Totals | null => {
    if (r.g === 2) {
      if (r.handler === null || r.stationId === null) return null;
      const mine = handled.get(r.handler) ?? (handled.set(r.handler, new Map()), handled.get(r.handler)!);
      return mine.get(r.stationId) ?? (mine.set(r.stationId, {}), mine.get(r.stationId)!);
    }
    const key = keyOfGroup(r);
    if (key === null) return null;
    if (r.g === 1) teams.set(key, { stationId: r.stationId!, department: r.department! });
    return at(key);
  };
  for (const r of cohort.rows) {
    const t = slot(r);
    if (t) t.cohort = r;
  }
  for (const r of logged.rows) {
    const t = slot(r);
    if (t) t.log = r;
  }
  for (const r of about.rows) {
    const t = r.g === 0 ? null : slot(r);
    if (t) t.complaintsAbout = r.n;
  }
  const add = (t: Totals, points: number) => {
    t.accountability = { points: (t.accountability?.points ?? 0) + points, records: (t.accountability?.records ?? 0) + 1 };
  };
  const named = new Map<number, { points: number; records: number; stations: number[] }>();
  for (const r of records.rows) {
    add(at(subjectKey.station(r.stationId)), r.points);
    if (r.department !== null) {
      const key = subjectKey.team(r.stationId, r.department);
      teams.set(key, { stationId: r.stationId, department: r.department });
      add(at(key), r.points);
    }
    for (const person of r.people) {
      const n = named.get(person) ?? (named.set(person, { points: 0, records: 0, stations: [] }), named.get(person)!);
      n.points += r.points;
      n.records += 1;
      n.stations.push(r.stationId);
    }
  }
  return { totals, teams, handled, named };
}

/**
 * A person's current station: people.station_id (migration 011: where a person belongs), else their
 * first station role (person_roles), else their account's.
 */
export async function currentStations(db: Db, ids: number[]): Promise<Map<number, number>> {
  const { rows } = await db.query<{ id: number; stationId: number | null }>(
    `SELECT p.id, coalesce(p.station_id,
              (SELECT r.station_id FROM person_roles r WHERE r.person_id = p.id AND r.station_id IS NOT NULL ORDER BY r.id LIMIT 1),
              (SELECT a.station_id FROM accounts a WHERE a.person_id = p.id AND a.station_id IS NOT NULL ORDER BY a.id LIMIT 1)) AS "stationId"
       FROM people p WHERE p.id = ANY($1::int[])`,
    [ids],
  );
  return new Map(rows.filter((r) => r.stationId !== null).map((r) => [r.id, r.stationId!]));
}

/**
 * The station a person's score of a period is filed under (S13: a station answers for what was
 * handled at it, and its leaders read only its own people): of the stations where the person has
 * anything in the period (events they handled, log facts, complaints about them), the one where
 * they handled the most events reported in the period; on a tie their current station if it is
 * among the tied, else the lowest station id. A person with nothing at any station (named by a
 * record only) is filed under their current station, else the first record's. Only the filed
 * station's events count; the others' are not carried over (subject_key p:<id> is one per period).
 * `events` maps station → events handled there (0 for a station with log facts or complaints only).
 */
export function personStation(events: ReadonlyMap<number, number>, current: number | null, recordStations: readonly number[] = []): number | null {
  if (events.size === 0) return current ?? recordStations[0] ?? null;
  const most = Math.max(...events.values());
  const tied = [...events].filter(([, n]) => n === most).map(([id]) => id);
  if (current !== null && tied.includes(current)) return current;
  return Math.min(...tied);
}

/** The station's own figures, gathered for all stations (or one). */
export interface StationParts {
  consultations: { owed: number; held: Map<number, number> };
  inspections: Map<number, Part>;
  coverage: Map<number, FigureV1>;
  mediation: Map<number, Part>;
  review: Map<number, Part>;
}

export async function stationParts(db: Db, p: AssessmentPeriod, now: Date, stationId?: number): Promise<StationParts> {
  const cal = await calendarOf(db);
  const [consultations, inspections, coverage, mediation, review] = await Promise.all([
    consultationParts(db, p, now, cal, stationId),
    inspectionParts(db, p, now, cal, stationId),
    coverageFigure(db, p, now, stationId),
    mediationParts(db, p, stationId),
    reviewParts(db, p, stationId),
  ]);
  return { consultations, inspections, coverage, mediation, review };
}

/** Every indicator of one subject from what was gathered; null where lib/assessment/applicability says it does not apply. */
export function figuresOf(kind: SubjectKind, stationId: number, t: Totals, s: StationParts | null): FiguresV1 {
  const c = t.cohort;
  const l = t.log;
  const station = kind === 'station' && s !== null;
  const value: Record<IndicatorCode, () => FigureV1> = {
    on_time_accept: () => ratio({ num: c?.accNum ?? 0, den: c?.accDen ?? 0 }),
    on_time: () => ratio({ num: c?.otNum ?? 0, den: c?.otDen ?? 0 }),
    verify_pass: () => ratio({ num: l?.vPass ?? 0, den: l?.vAll ?? 0 }),
    red_cards: () => count(l?.red ?? 0),
    yellow_cards: () => count(l?.yellow ?? 0),
    consultations: () => (station ? ratio({ num: s.consultations.held.get(stationId) ?? 0, den: s.consultations.owed }) : NONE),
    inspections: () => (station ? ratio(s.inspections.get(stationId) ?? { num: 0, den: 0 }) : NONE),
    coverage: () => (station ? s.coverage.get(stationId) ?? { value: null, num: 0, den: 0 } : NONE),
    satisfaction: () => ratio({ num: c?.satisfied ?? 0, den: c?.rated ?? 0 }),
    complaints: () => count(kind === 'station' ? c?.complaints ?? 0 : t.complaintsAbout ?? 0),
    mediation: () => (station ? ratio(s.mediation.get(stationId) ?? { num: 0, den: 0 }) : NONE),
    petitions_skip: () => count(c?.petitions ?? 0),
    group_incidents: () => count(c?.groups ?? 0),
    review: () => (station ? ratio(s.review.get(stationId) ?? { num: 0, den: 0 }) : NONE),
    accountability: () => ({ value: t.accountability?.points ?? 0, num: t.accountability?.records ?? 0 }),
  };
  const out: FiguresV1 = {};
  for (const code of INDICATOR_CODES) out[code] = applies(code, kind) ? value[code]() : NONE;
  return out;
}

/** The figures as a formula reads them (lib/assessment/formula.ts: a number or null each). */
export function formulaValues(f: FiguresV1): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const code of INDICATOR_BY_CODE.keys()) out[code] = f[code as IndicatorCode]?.value ?? null;
  return out;
}

/**
 * Every subject of a period: every station; each team (station × department) and each person with
 * events, logged steps, complaints or accountability records in the period, filed under one station
 * (personStation). A person with none is not scored (idle is not 100), nor one with no station.
 */
export async function periodFigures(db: Db, p: AssessmentPeriod, now: Date): Promise<SubjectFigures[]> {
  const [facts, parts, stations] = await Promise.all([
    eventFacts(db, p),
    stationParts(db, p, now),
    db.query<{ id: number }>(`SELECT id FROM stations ORDER BY id`),
  ]);
  const people = [...new Set([...facts.handled.keys(), ...facts.named.keys()])];
  const current = await currentStations(db, people);
  const out: SubjectFigures[] = [];
  const totalsOf = (key: string) => facts.totals.get(key) ?? {};
  for (const { id } of stations.rows) {
    const key = subjectKey.station(id);
    const t = totalsOf(key);
    out.push({ kind: 'station', key, stationId: id, departmentCode: null, personId: null, figures: figuresOf('station', id, t, parts), eventIds: t.cohort?.ids ?? [] });
  }
  for (const [key, team] of facts.teams) {
    const t = totalsOf(key);
    out.push({ kind: 'team', key, stationId: team.stationId, departmentCode: team.department, personId: null, figures: figuresOf('team', team.stationId, t, null), eventIds: t.cohort?.ids ?? [] });
  }
  for (const person of people) {
    const at = facts.handled.get(person) ?? new Map<number, Totals>();
    const named = facts.named.get(person);
    const events = new Map([...at].map(([station, t]) => [station, t.cohort?.ids.length ?? 0]));
    const stationId = personStation(events, current.get(person) ?? null, named?.stations);
    if (stationId === null) continue;
    const t: Totals = { ...(at.get(stationId) ?? {}), accountability: named && { points: named.points, records: named.records } };
    const key = subjectKey.person(person);
    out.push({ kind: 'person', key, stationId, departmentCode: null, personId: person, figures: figuresOf('person', stationId, t, null), eventIds: t.cohort?.ids ?? [] });
  }
  return out;
}
