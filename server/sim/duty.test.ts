import { describe, expect, it } from 'vitest';
import type { Rejection } from '@/lib/contracts/live';
import { createPool } from '../db/pool';
import { closeSilent } from '../live/duty';
import { TEST_DATABASE_URL } from '../test/env';
import { withSimDuty } from './duty';
import type { SimUnit } from './roster';

/* Issue 12: the units the simulator moves are on duty ('sim' shifts); the duty job ends a quiet one's. */

describe("the simulator's duty shifts", () => {
  it('opens one for each unit whose fixes were taken, none for a refused one, and the job ends it when quiet', async () => {
    const db = createPool(TEST_DATABASE_URL, 2);
    try {
      const { rows } = await db.query<{ id: number; code: string }>(`SELECT id, code FROM units WHERE person_id IS NULL ORDER BY id DESC LIMIT 2`);
      const ids = rows.map((r) => r.id);
      await db.query(`UPDATE duty_shifts SET ended_at = greatest(started_at, now() - interval '3 hours') WHERE unit_id = ANY($1) AND ended_at IS NULL`, [ids]);
      const units = rows.map((r) => ({ id: r.id, code: r.code }) as SimUnit);
      const t = Date.now() - 2 * 3600_000;
      // The live door is stood in for: it takes the first unit's fix and refuses the second's.
      const door = withSimDuty(db, units, {
        ingest: async () => ({ accepted: 1, rejected: [{ index: 1, reason: 'outside_area', message: '' }] as Rejection[] }),
      });
      await door.ingest(rows.map((r) => ({ unit: r.code, t, lon: 120.3, lat: 30.8 })));
      const open = await db.query<{ unit_id: number; source: string; started: number }>(
        `SELECT unit_id, source, extract(epoch FROM started_at) * 1000 AS started FROM duty_shifts WHERE unit_id = ANY($1) AND ended_at IS NULL`,
        [ids],
      );
      expect(open.rows.map((r) => ({ ...r, started: Math.round(Number(r.started)) }))).toEqual([{ unit_id: ids[0], source: 'sim', started: t }]);

      // With the clock moved to 31 min after it and no fix in the history since: ended at its start.
      await closeSilent(db, new Date(t + 29 * 60_000), 30 * 60_000);
      expect((await db.query(`SELECT 1 FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [ids[0]])).rowCount).toBe(1);
      await closeSilent(db, new Date(t + 31 * 60_000), 30 * 60_000);
      const { rows: ended } = await db.query<{ ended: Date }>(`SELECT ended_at AS ended FROM duty_shifts WHERE unit_id = $1 AND source = 'sim' ORDER BY id DESC LIMIT 1`, [ids[0]]);
      expect(ended[0].ended.getTime()).toBe(t);
    } finally {
      await db.end();
    }
  });
});
