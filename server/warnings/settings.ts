import { WarningSettings } from '@/lib/contracts/warnings';
import { DEFAULT_WARNING_SETTINGS } from '@/lib/warnings/defaults';
import type { Db, Tx } from '../db/pool';

/** The district's thresholds (one row, migration 018); a row that no longer parses falls back to the defaults field by field. */
export async function readWarningSettings(q: Db | Tx): Promise<WarningSettings> {
  const { rows } = await q.query<{ settings: unknown }>(`SELECT settings FROM warning_settings`);
  const parsed = WarningSettings.safeParse({ ...DEFAULT_WARNING_SETTINGS, ...(rows[0]?.settings as object | undefined) });
  return parsed.success ? parsed.data : DEFAULT_WARNING_SETTINGS;
}

export async function writeWarningSettings(tx: Tx, s: WarningSettings): Promise<WarningSettings> {
  await tx.query(
    `INSERT INTO warning_settings (id, settings, updated_at) VALUES (true, $1, now())
     ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
    [JSON.stringify(s)],
  );
  return s;
}
