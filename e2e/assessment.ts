import { defaultRuleSet } from '../lib/assessment/rules';
import { lastEnded, periodKeyOf } from '../lib/reports/choice';
import { query } from './screens';

/** Today in Shanghai, YYYY-MM-DD. */
export const shanghaiToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/**
 * The last month that ended (Shanghai), with active rules for its year: in January that month is
 * last year's, which a fresh database has no rules for (the server seeds the current year only).
 */
export async function lastEndedMonthWithRules(): Promise<string> {
  const period = periodKeyOf(lastEnded('month', shanghaiToday()));
  const year = Number(period.slice(0, 4));
  const body = defaultRuleSet(year);
  await query(
    `INSERT INTO assessment_rule_sets (year, version, name, body, state, activated_at)
     SELECT $1, 1, $2, $3, 'active', now() WHERE NOT EXISTS (SELECT 1 FROM assessment_rule_sets WHERE year = $1 AND state = 'active')`,
    [year, body.name, JSON.stringify(body)],
  );
  return period;
}
