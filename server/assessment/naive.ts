import { applies } from '@/lib/assessment/applicability';
import { INDICATOR_CODES, isIndicator, type IndicatorCode } from '@/lib/assessment/indicators';
import { instantsOfPeriod, parsePeriod } from '@/lib/assessment/periods';
import { scoreWith } from '@/lib/assessment/rules';
import { RuleSetV1 } from '@/lib/contracts/assessment';
import type { FigureV1, FiguresV1, SubjectKind } from '@/lib/contracts/scores';
import type { Db } from '../db/pool';
import { DomainError } from '../errors';
import { activeRuleSet } from './rules';
import {
  ACCEPTED_COUNTED, ACCEPTED_ON_TIME, ACCOUNTABILITY_WEIGHT, CLOSED, CLOSED_ON_TIME, COMPLAINT, GROUP_INCIDENT, HANDLER, PETITION, RATED,
  LOGGED_FACTS, SATISFIED_RATED, count, currentStations, formulaValues, personStation, ratio, stationParts,
} from './figures';

/*
 * One subject's figures with one query per indicator (issue 15 speed: the bench's baseline, "person
 * by person"), written apart from the set-based SQL of figures.ts so that the test holding the two
 * equal guards both. Only the station's own figures (consultations, inspections, coverage,
 * mediation, the review) share figures.ts' code, asked for this one station.
 */

interface Subject {
  kind: SubjectKind;
  stationId: number | null;
  department: string | null;
  personId: number | null;
}

function parseSubject(key: string): Subject {
  const [k, a, b] = key.split(':');
  if (k === 's') return { kind: 'station', stationId: Number(a), department: null, personId: null };
  if (k === 't') return { kind: 'team', stationId: Number(a), department: b, personId: null };
  return { kind: 'person', stationId: null, department: null, personId: Number(a) };
}

/** The subject's events among `e` ($3, $4, $5: station, department, person; a person's at the station they are filed under). */
const MINE = `(CASE WHEN $5::int IS NOT NULL THEN ${HANDLER} = $5::int AND e.station_id = $3::int
                    ELSE e.station_id = $3::int AND ($4::text IS NULL OR e.department_code = $4::text) END)`;
const COHORT = `e.reported_at >= $1 AND e.reported_at < $2`;

/**
 * The station a person's score of the period is filed under, found on its own: the events they
 * handled per station (those with anything of theirs in the period), then figures.ts personStation.
 */
async function filedStation(db: Db, from: Date, to: Date, range: { from: string; to: string }, personId: number): Promise<number | null> {
  const { rows } = await db.query<{ stationId: number; n: number }>(
    `WITH mine AS (
       SELECT e.id, e.station_id, true AS cohort FROM events e WHERE ${COHORT} AND ${HANDLER} = $3::int
       UNION ALL
       SELECT e.id, e.station_id, false FROM event_log l JOIN events e ON e.id = l.event_id
        WHERE l.at >= $1 AND l.at < $2 AND ${LOGGED_FACTS} AND ${HANDLER} = $3::int
       UNION ALL
       SELECT e.id, e.station_id, false FROM events c JOIN events e ON e.id = c.about_event_id
        WHERE c.reported_at >= $1 AND c.reported_at < $2 AND c.kind = 'complaint' AND c.reported_by_citizen AND ${HANDLER} = $3::int)
     SELECT station_id AS "stationId", count(DISTINCT id) FILTER (WHERE cohort)::int AS n FROM mine WHERE station_id IS NOT NULL GROUP BY station_id`,
    [from, to, personId],
  );
  const { rows: records } = await db.query<{ stationId: number }>(
    `SELECT r.station_id AS "stationId" FROM accountability_records r JOIN accountability_people ap ON ap.record_id = r.id AND ap.person_id = $3
      WHERE r.revoked_at IS NULL AND r.decided_on BETWEEN $1::date AND $2::date ORDER BY r.decided_on, r.id`,
    [range.from, range.to, personId],
  );
  const current = (await currentStations(db, [personId])).get(personId) ?? null;
  return personStation(new Map(rows.map((r) => [r.stationId, r.n])), current, records.map((r) => r.stationId));
}

export async function scoreSubjectNaive(db: Db, period: string, key: string, opts: { now?: Date } = {}): Promise<{ total: number; figures: FiguresV1 }> {
  const p = parsePeriod(period);
  if (!p) throw new DomainError('invalid', 'invalid', '考评时段无效', [{ path: 'period', message: '须为 YYYY-MM、YYYY-Qn 或 YYYY' }]);
  const rules = await activeRuleSet(db, p.year);
  if (!rules?.body) throw new DomainError('unprocessable', 'no_rules', `${p.year} 年度没有生效的考评细则`);
  const s = parseSubject(key);
  const { from, to } = instantsOfPeriod(p);
  if (s.kind === 'person') s.stationId = await filedStation(db, from, to, p.range, s.personId!);
  const args = [from, to, s.stationId, s.department, s.personId];
  const one = async (sql: string): Promise<{ num: number; den: number }> => (await db.query<{ num: number; den: number }>(sql, args)).rows[0];
  const events = (num: string, den = 'true') =>
    one(`SELECT count(*) FILTER (WHERE ${num})::int AS num, count(*) FILTER (WHERE ${den})::int AS den FROM events e WHERE ${COHORT} AND ${MINE}`);
  const logged = (num: string, den: string) =>
    one(`SELECT count(*) FILTER (WHERE ${num})::int AS num, count(*) FILTER (WHERE ${den})::int AS den
           FROM event_log l JOIN events e ON e.id = l.event_id WHERE l.at >= $1 AND l.at < $2 AND ${MINE}`);
  const card = (c: string) => logged(`l.action = 'supervise' AND l.data ->> 'card' = '${c}'`, 'false');
  const complaints = () =>
    s.kind === 'station'
      ? events(COMPLAINT, 'false')
      : one(`SELECT count(*)::int AS num, 0 AS den FROM events c JOIN events e ON e.id = c.about_event_id
              WHERE c.reported_at >= $1 AND c.reported_at < $2 AND c.kind = 'complaint' AND c.reported_by_citizen AND ${MINE}`);
  const accountability = async (): Promise<FigureV1> => {
    const { rows } = await db.query<{ points: number; records: number }>(
      `SELECT coalesce(sum(${ACCOUNTABILITY_WEIGHT}), 0)::int AS points, count(*)::int AS records FROM accountability_records r
        WHERE r.revoked_at IS NULL AND r.decided_on BETWEEN $1::date AND $2::date
          AND CASE WHEN $5::int IS NOT NULL THEN EXISTS (SELECT 1 FROM accountability_people ap WHERE ap.record_id = r.id AND ap.person_id = $5::int)
                   ELSE r.station_id = $3::int AND ($4::text IS NULL OR r.department_code = $4::text) END`,
      [p.range.from, p.range.to, s.stationId, s.department, s.personId],
    );
    return { value: rows[0].points, num: rows[0].records };
  };
  const station = s.kind === 'station' ? await stationParts(db, p, opts.now ?? new Date(), s.stationId!) : null;
  const id = s.stationId ?? 0;

  const figure: Record<IndicatorCode, () => Promise<FigureV1>> = {
    on_time_accept: async () => ratio(await events(ACCEPTED_ON_TIME, ACCEPTED_COUNTED)),
    on_time: async () => ratio(await events(CLOSED_ON_TIME, CLOSED)),
    verify_pass: async () => ratio(await logged(`l.action = 'verify_pass'`, `l.action IN ('verify_pass', 'verify_fail')`)),
    red_cards: async () => count((await card('red')).num),
    yellow_cards: async () => count((await card('yellow')).num),
    consultations: async () => ratio({ num: station!.consultations.held.get(id) ?? 0, den: station!.consultations.owed }),
    inspections: async () => ratio(station!.inspections.get(id) ?? { num: 0, den: 0 }),
    coverage: async () => station!.coverage.get(id) ?? { value: null, num: 0, den: 0 },
    satisfaction: async () => ratio(await events(SATISFIED_RATED, RATED)),
    complaints: async () => count((await complaints()).num),
    mediation: async () => ratio(station!.mediation.get(id) ?? { num: 0, den: 0 }),
    petitions_skip: async () => count((await events(PETITION, 'false')).num),
    group_incidents: async () => count((await events(GROUP_INCIDENT, 'false')).num),
    review: async () => ratio(station!.review.get(id) ?? { num: 0, den: 0 }),
    accountability,
  };
  const figures: FiguresV1 = {};
  for (const code of INDICATOR_CODES) figures[code] = applies(code, s.kind) ? await figure[code]() : { value: null };
  return { total: scoreWith(RuleSetV1.parse(rules.body), formulaValues(figures), (code) => isIndicator(code) && applies(code, s.kind)).total, figures };
}
