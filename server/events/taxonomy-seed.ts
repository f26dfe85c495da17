import { DEPARTMENTS } from '@/lib/departments';
import type pg from 'pg';
import { CATEGORIES, SEED_TIME_LIMITS } from '@/lib/categories';
import { DEFAULT_JOINT_RULES } from '@/lib/command/joint';

/**
 * Fills the taxonomy (issue 4) and its joint-handling rules (issue 5) from lib/categories once: rows an administrator changed or retired
 * are left as they are, new codes are added.
 */
export async function seedTaxonomy(q: pg.Pool | pg.PoolClient): Promise<void> {
  // The S5 departments are reference data too: a production database must be able to station them (issue 10).
  await q.query(
    `INSERT INTO departments (code, name, default_residency)
     SELECT d->>'code', d->>'name', d->>'residency' FROM json_array_elements($1::json) AS d
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(DEPARTMENTS)],
  );
  const rows = CATEGORIES.flatMap((c, i) => [
    { code: c.code, parent: null, label: c.label, department: c.department, severity: c.severity, sort: i * 100 },
    ...c.subcategories.map((s, j) => ({
      code: `${c.code}.${s.code}`, parent: c.code, label: s.label, department: s.department ?? c.department, severity: c.severity, sort: i * 100 + j + 1,
    })),
  ]);
  await q.query(
    `INSERT INTO categories (code, parent_code, label, department_code, severity, sort)
     SELECT code, parent, label, department, severity, sort
       FROM json_to_recordset($1::json) AS r(code text, parent text, label text, department text, severity text, sort int)
     ORDER BY parent NULLS FIRST
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  // Issue 14: a question's and a complaint's limits, as data; a limit an administrator changed is left as it is.
  await q.query(
    `INSERT INTO time_limits (category_code, severity, accept_yellow, accept_red, handle_yellow, handle_red)
     SELECT category, NULL, "acceptYellow", "acceptRed", "handleYellow", "handleRed"
       FROM json_to_recordset($1::json) AS r(category text, "acceptYellow" int, "acceptRed" int, "handleYellow" int, "handleRed" int)
      WHERE category IN (SELECT code FROM categories)
     ON CONFLICT (category_code, severity) DO NOTHING`,
    [JSON.stringify(SEED_TIME_LIMITS)],
  );
  // Joint-handling rules (issue 5) for the categories that exist; edited rules are kept.
  await q.query(
    `INSERT INTO joint_rules (category_code, forces)
     SELECT key, ARRAY(SELECT json_array_elements_text(value)) FROM json_each($1::json)
      WHERE key IN (SELECT code FROM categories)
     ON CONFLICT (category_code) DO NOTHING`,
    [JSON.stringify(DEFAULT_JOINT_RULES)],
  );
}
