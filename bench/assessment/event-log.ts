// The closed loop's log (event_log) of bench:analytics' generated events, written by the server in
// statements over ranges of event ids: what the scoring reads for people and for verifications
// and cards (issue 15; S12, S13). Each step at the time the event's own columns say it happened:
// accepted (or returned, merged) by the station's 常务副站长, assigned to the department (or
// coordinated by the station when the category has none), handled by a person's account, verified
// on site by the grid's 专职网格员 — one closed event in twelve failed a first verification and was
// handled again — and rated by the citizen; the supervision job's yellow and red cards (action
// `supervise`, data.card) at each stage's limits when the step came later or has not come yet.
import type { PoolClient } from 'pg';
import type { Db } from '../../server/db/pool';

/** One statement's events. */
const RANGE = 100_000;

const STEPS_SQL = `
INSERT INTO event_log (event_id, at, actor_id, actor_role, actor_name, from_state, to_state, action, note, data)
SELECT e.id, x.at, x.actor, x.role, x.name, x.fs, x.ts, x.action, x.note, x.data
  FROM events e
  LEFT JOIN bench_acceptors a ON a.station_id = e.station_id
  LEFT JOIN bench_verifiers v ON v.grid_code = e.grid_code
  LEFT JOIN bench_dept_handlers dh ON dh.station_id = e.station_id AND dh.department_code = e.department_code AND dh.k = e.id % dh.n
  LEFT JOIN bench_village_handlers vh ON vh.village_code = e.village_code
  CROSS JOIN LATERAL (SELECT coalesce(dh.account_id, vh.account_id) AS h_id, coalesce(dh.name, vh.name) AS h_name,
                             CASE WHEN dh.account_id IS NOT NULL THEN 'dept_staff' ELSE 'grid_leader' END AS h_role,
                             e.state IN ('closed', 'rated') AND e.id % 12 = 0 AS failed_once,
                             coalesce(e.accepted_at, CASE WHEN e.state IN ('returned', 'merged') THEN e.updated_at END) AS decided) s
  CROSS JOIN LATERAL (VALUES
    (s.decided, a.account_id, 'deputy_chief', a.name, 'reported',
     CASE e.state WHEN 'returned' THEN 'returned' WHEN 'merged' THEN 'merged' ELSE 'accepted' END,
     CASE e.state WHEN 'returned' THEN 'return' WHEN 'merged' THEN 'merge' ELSE 'accept' END,
     CASE e.state WHEN 'returned' THEN '不属于受理范围' END, NULL::jsonb),
    (e.accepted_at + interval '2 minutes', a.account_id, 'deputy_chief', a.name, 'accepted',
     CASE WHEN e.department_code IS NULL THEN 'coordinated' ELSE 'assigned' END,
     CASE WHEN e.department_code IS NULL THEN 'coordinate' ELSE 'assign' END, NULL,
     CASE WHEN e.department_code IS NOT NULL THEN jsonb_build_object('department', e.department_code) END),
    (CASE WHEN s.failed_once THEN e.accepted_at + (e.handled_at - e.accepted_at) * 0.5 END, s.h_id, s.h_role, s.h_name,
     'in_progress', 'handled', 'handle', '已处置', NULL),
    (CASE WHEN s.failed_once THEN e.accepted_at + (e.handled_at - e.accepted_at) * 0.75 END, v.account_id, 'gridder_full', v.name,
     'handled', 'in_progress', 'verify_fail', '现场核查未通过：整改不到位', NULL),
    (e.handled_at, s.h_id, s.h_role, s.h_name, 'in_progress', 'handled', 'handle', '已处置', NULL),
    (e.closed_at, v.account_id, 'gridder_full', v.name, 'handled', 'closed', 'verify_pass', NULL, NULL),
    (e.rated_at, NULL, 'citizen', '群众', 'closed', 'rated', 'rate', NULL, jsonb_build_object('rating', e.rating)),
    (CASE WHEN e.accept_due_at < coalesce(s.decided, now()) THEN e.accept_due_at END, NULL, 'system', '督办', 'reported', 'reported',
     'supervise', '黄牌督办：已超过受理时限', '{"card":"yellow"}'::jsonb),
    (CASE WHEN e.accept_red_at < coalesce(s.decided, now()) THEN e.accept_red_at END, NULL, 'system', '督办', 'reported', 'reported',
     'supervise', '红牌督办：已超过红牌时限', '{"card":"red"}'::jsonb),
    (CASE WHEN e.handle_due_at < coalesce(e.handled_at, now()) THEN e.handle_due_at END, NULL, 'system', '督办', 'in_progress', 'in_progress',
     'supervise', '黄牌督办：已超过办理时限', '{"card":"yellow"}'::jsonb),
    (CASE WHEN e.handle_red_at < coalesce(e.handled_at, now()) THEN e.handle_red_at END, NULL, 'system', '督办', 'in_progress', 'in_progress',
     'supervise', '红牌督办：已超过红牌时限', '{"card":"red"}'::jsonb)
  ) AS x(at, actor, role, name, fs, ts, action, note, data)
 WHERE e.id >= $1 AND e.id < $2 AND e.source = 'bench' AND x.at IS NOT NULL AND x.at <= now()
 ORDER BY e.id, x.at`;

export interface LogGenerated {
  rows: number;
  byAction: Record<string, number>;
  ms: number;
  analyzeMs: number;
}

export async function generateEventLog(db: Db, log: (line: string) => void): Promise<LogGenerated> {
  const t0 = performance.now();
  const { rows: span } = await db.query<{ lo: string; hi: string }>(`SELECT min(id)::text AS lo, max(id)::text AS hi FROM events`);
  const ranges: number[] = [];
  for (let from = Number(span[0].lo); from <= Number(span[0].hi); from += RANGE) ranges.push(from);
  let rows = 0;
  let last = performance.now();
  // Two connections, one per core: each range is a statement of its own, in no particular order.
  const work = async (c: PoolClient) => {
    await c.query('SET synchronous_commit = off');
    // As in the event generator: JIT would compile each statement for longer than it runs.
    await c.query('SET jit = off');
    for (let from = ranges.shift(); from !== undefined; from = ranges.shift()) {
      const r = await c.query(STEPS_SQL, [from, from + RANGE]);
      rows += r.rowCount ?? 0;
      if (performance.now() - last > 15_000) {
        last = performance.now();
        log(`  event_log: ${rows.toLocaleString('en')} steps in ${((last - t0) / 1000).toFixed(0)} s …`);
      }
    }
  };
  const clients = await Promise.all([db.connect(), db.connect()]);
  try {
    await Promise.all(clients.map(work));
  } finally {
    for (const c of clients) c.release();
  }
  const ms = performance.now() - t0;
  const t1 = performance.now();
  await db.query('VACUUM (ANALYZE) event_log');
  const analyzeMs = performance.now() - t1;
  const { rows: counts } = await db.query<{ action: string; n: number }>(`SELECT action, count(*)::int AS n FROM event_log GROUP BY 1 ORDER BY 2 DESC`);
  return { rows, byAction: Object.fromEntries(counts.map((r) => [r.action, r.n])), ms, analyzeMs };
}
