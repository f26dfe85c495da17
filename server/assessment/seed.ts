import type pg from 'pg';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { RuleSetV1 } from '@/lib/contracts/assessment';
import { shanghaiDay } from '@/lib/time/workdays';

/**
 * The current year's 考评细则 (issue 15 point 1; S13), seeded once at startup as reference data
 * (production too, like the taxonomy: scoring needs an active rule set). A year that has any version
 * is left as it is. A new year carries the latest earlier year's active rules over, so the
 * district's edits are kept; a fresh district gets lib/assessment/rules.ts defaultRuleSet.
 */
export async function seedAssessmentRules(q: pg.Pool | pg.PoolClient, now = new Date()): Promise<void> {
  const year = Number(shanghaiDay(now).slice(0, 4));
  const { rows: had } = await q.query(`SELECT 1 FROM assessment_rule_sets WHERE year = $1 LIMIT 1`, [year]);
  if (had.length) return;
  const { rows: prev } = await q.query<{ year: number; body: unknown }>(
    `SELECT year, body FROM assessment_rule_sets WHERE year < $1 AND state = 'active' ORDER BY year DESC LIMIT 1`,
    [year],
  );
  let body = defaultRuleSet(year);
  if (prev[0]) {
    const earlier = prev[0].body as { name?: unknown };
    const name = typeof earlier.name === 'string' ? earlier.name.replaceAll(String(prev[0].year), String(year)) : body.name;
    // A stored set the contract no longer takes (a retired indicator, say) is not carried: the default is.
    const carried = RuleSetV1.safeParse({ ...earlier, year, name });
    if (carried.success) body = carried.data;
  }
  await q.query(
    `INSERT INTO assessment_rule_sets (year, version, name, body, state, activated_at)
     VALUES ($1, 1, $2, $3, 'active', now()) ON CONFLICT DO NOTHING`,
    [year, body.name, JSON.stringify(body)],
  );
}
