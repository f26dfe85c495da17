import { DEFAULT_SETTINGS, type CoverageSettings } from '@/lib/coverage/rules';
import type { Db, Tx } from '../db/pool';

export async function readSettings(q: Db | Tx): Promise<CoverageSettings> {
  const { rows } = await q.query<CoverageSettings>(
    `SELECT visit_minutes AS "visitMinutes", visit_radius_m AS "visitRadiusM" FROM coverage_settings WHERE id`,
  );
  return rows[0] ?? DEFAULT_SETTINGS;
}

export async function writeSettings(tx: Tx, s: CoverageSettings): Promise<CoverageSettings> {
  const { rows } = await tx.query<CoverageSettings>(
    `INSERT INTO coverage_settings (id, visit_minutes, visit_radius_m) VALUES (true, $1, $2)
     ON CONFLICT (id) DO UPDATE SET visit_minutes = EXCLUDED.visit_minutes, visit_radius_m = EXCLUDED.visit_radius_m, updated_at = now()
     RETURNING visit_minutes AS "visitMinutes", visit_radius_m AS "visitRadiusM"`,
    [s.visitMinutes, s.visitRadiusM],
  );
  return rows[0];
}
