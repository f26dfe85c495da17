import { applies } from '@/lib/assessment/applicability';
import { isIndicator } from '@/lib/assessment/indicators';
import { hasEnded, instantsOfPeriod, parsePeriod } from '@/lib/assessment/periods';
import { scoreWith } from '@/lib/assessment/rules';
import { RuleSetV1 } from '@/lib/contracts/assessment';
import type { ScoreItemV1 } from '@/lib/contracts/scores';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError } from '../errors';
import { EVENT_FACTS, formulaValues, periodFigures } from './figures';
import { activeRuleSet } from './rules';

/*
 * Scores a period (issue 15 point 2; S13, S14): the active rules of the period's year over every
 * subject's figures (figures.ts), stored in assessment_scores (migration 023) in one transaction.
 * When the period has ended at `now` the same transaction freezes it: every row gets frozen_at
 * and the period a row in assessment_periods, and from then on nothing here touches it again (the
 * table's trigger refuses it anyway). A period without a single station is never frozen (a fresh
 * install would freeze it empty for good): it stays open. While open, a subject that no longer has
 * anything in the period loses its row.
 *
 * Freezing also keeps what the score's events counted for (EVENT_FACTS, one compact array per event,
 * in the station rows' event_facts: every event of a period is its station's, and the station's
 * teams and people count only its events), so a frozen score's detail shows its events as they were
 * scored, not as later edits left them. They are read in the write transaction, a moment after the
 * figures: an event edited in between shows its newer facts beside the older figures.
 *
 * The figures are gathered before the write transaction, on the pool and in parallel (a small
 * pool would deadlock if a held connection waited for the pool); the period's advisory lock then
 * serialises the writes of two processes scoring the same period, and the frozen check is repeated
 * under it.
 */

/** pg_advisory_xact_lock(PERIOD_LOCK, hashtext(period)): one writer per period. */
const PERIOD_LOCK = 7_305_023;

export interface ComputeResult {
  subjects: number;
  frozen: boolean;
  ms: number;
}

async function frozenCount(db: Db, period: string): Promise<number | null> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*)::int FROM assessment_scores s WHERE s.period = p.period) AS n FROM assessment_periods p WHERE p.period = $1`,
    [period],
  );
  return rows[0]?.n ?? null;
}

export interface ComputeOptions {
  now?: Date;
  /**
   * Runs in the transaction that writes the scores, with the result (the compute-now route's audit:
   * the entry and the scores commit together or not at all). A frozen period answers in a
   * transaction of its own.
   */
  also?: (tx: Tx, result: ComputeResult) => Promise<void>;
}

export async function computePeriod(db: Db, period: string, opts: ComputeOptions = {}): Promise<ComputeResult> {
  const t0 = performance.now();
  const p = parsePeriod(period);
  if (!p) throw new DomainError('invalid', 'invalid', '考评时段无效', [{ path: 'period', message: '须为 YYYY-MM、YYYY-Qn 或 YYYY' }]);
  const now = opts.now ?? new Date();
  const ms = () => Math.round(performance.now() - t0);
  const answer = async (r: ComputeResult): Promise<ComputeResult> => {
    if (opts.also) await inTransaction(db, (tx) => opts.also!(tx, r));
    return r;
  };
  const had = await frozenCount(db, period);
  if (had !== null) return answer({ subjects: had, frozen: true, ms: ms() });

  const record = await activeRuleSet(db, p.year);
  if (!record?.body) throw new DomainError('unprocessable', 'no_rules', `${p.year} 年度没有生效的考评细则，无法计分`);
  const rules = RuleSetV1.parse(record.body);
  const names = new Map(rules.items.map((i) => [i.code, i]));
  const subjects = await periodFigures(db, p, now);
  const rows = subjects.map((s) => {
    const score = scoreWith(rules, formulaValues(s.figures), (code) => isIndicator(code) && applies(code, s.kind));
    const items: ScoreItemV1[] = score.items.map((i) => ({
      code: i.code, name: names.get(i.code)!.name, kind: i.kind, weight: names.get(i.code)!.weight, points: i.points, noData: i.noData, notApplicable: i.notApplicable,
    }));
    return {
      subject_kind: s.kind, subject_key: s.key, station_id: s.stationId, department_code: s.departmentCode, person_id: s.personId,
      figures: s.figures, items, earned: score.earned, deducted: score.deducted, computed_total: score.total,
      event_ids: `{${s.eventIds.join(',')}}`,
    };
  });
  const freeze = hasEnded(p, now) && subjects.some((x) => x.kind === 'station');
  const { from, to } = instantsOfPeriod(p);

  return inTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [PERIOD_LOCK, period]);
    const { rows: done } = await tx.query(`SELECT 1 FROM assessment_periods WHERE period = $1`, [period]);
    if (done.length) {
      const { rows: n } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_scores WHERE period = $1`, [period]);
      const r = { subjects: n[0].n, frozen: true, ms: ms() };
      await opts.also?.(tx, r);
      return r;
    }
    await tx.query(
      `DELETE FROM assessment_scores WHERE period = $1 AND frozen_at IS NULL AND NOT (subject_key = ANY($2::text[]))`,
      [period, subjects.map((s) => s.key)],
    );
    // The facts only when freezing: an open period is scored again every half hour and shows its events live.
    await tx.query(
      `WITH facts AS (
         SELECT e.station_id, jsonb_object_agg(e.id::text, ${EVENT_FACTS}) AS f
           FROM events e WHERE $4 AND e.reported_at >= $6 AND e.reported_at < $7 AND e.station_id IS NOT NULL GROUP BY e.station_id)
       INSERT INTO assessment_scores (period, period_kind, subject_kind, subject_key, station_id, department_code, person_id, rule_set_id,
                                      figures, items, earned, deducted, computed_total, event_ids, event_facts, computed_at, frozen_at)
       SELECT $1, $2, r.subject_kind, r.subject_key, r.station_id, r.department_code, r.person_id, $3,
              r.figures, r.items, r.earned, r.deducted, r.computed_total, r.event_ids::bigint[],
              CASE WHEN $4 AND r.subject_kind = 'station' THEN coalesce(f.f, '{}') END, now(), CASE WHEN $4 THEN now() END
         FROM json_to_recordset($5::json) AS r(subject_kind text, subject_key text, station_id int, department_code text, person_id int,
                                               figures jsonb, items jsonb, earned numeric, deducted numeric, computed_total numeric, event_ids text)
         LEFT JOIN facts f ON f.station_id = r.station_id AND r.subject_kind = 'station'
       ON CONFLICT (period, subject_key) DO UPDATE SET
         subject_kind = EXCLUDED.subject_kind, station_id = EXCLUDED.station_id, department_code = EXCLUDED.department_code,
         person_id = EXCLUDED.person_id, rule_set_id = EXCLUDED.rule_set_id, figures = EXCLUDED.figures, items = EXCLUDED.items,
         earned = EXCLUDED.earned, deducted = EXCLUDED.deducted, computed_total = EXCLUDED.computed_total,
         event_ids = EXCLUDED.event_ids, event_facts = EXCLUDED.event_facts, computed_at = EXCLUDED.computed_at, frozen_at = EXCLUDED.frozen_at
       WHERE assessment_scores.frozen_at IS NULL`,
      [period, p.kind, record.id, freeze, JSON.stringify(rows), from, to],
    );
    if (freeze)
      await tx.query(`INSERT INTO assessment_periods (period, period_kind, rule_set_id) VALUES ($1, $2, $3)`, [period, p.kind, record.id]);
    const r = { subjects: rows.length, frozen: freeze, ms: ms() };
    await opts.also?.(tx, r);
    return r;
  });
}
