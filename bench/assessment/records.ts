// What the district records beside the events (issue 15; S13, S14), at rates of a plausible year:
// 越级信访 and 群体性事件 flags on a few events (deductions), accountability records (通报批评,
// 约谈, 问责) from red cards naming the person who handled the event (or, when nobody has yet, the
// station's 常务副站长, who accepts and routes), and a scored yearly review (建设验收) of every station.
import type { Db } from '../../server/db/pool';
import { applyInputs, CHECKLIST, freshItems, totalOf } from '../../lib/reviews/checklist';

export interface Records {
  petitionSkip: number;
  groupIncidents: number;
  accountability: number;
  named: number;
  reviews: number;
}

/** One red-carded event in this many gets an accountability record. */
const ACCOUNTABILITY_EVERY = 40;

export async function generateRecords(db: Db, year: number): Promise<Records> {
  // An UPDATE the rollups follow (017's triggers), as the district's flag route's would.
  const flags = await db.query<{ p: number; g: number }>(
    `WITH u AS (
       UPDATE events SET petition_skip = id % 3001 = 17, group_incident = id % 7919 = 23
        WHERE (id % 3001 = 17 OR id % 7919 = 23) AND state NOT IN ('returned', 'merged')
       RETURNING petition_skip, group_incident)
     SELECT count(*) FILTER (WHERE petition_skip)::int AS p, count(*) FILTER (WHERE group_incident)::int AS g FROM u`,
  );
  const { rowCount: accountability } = await db.query(
    `WITH red AS (
       SELECT DISTINCT ON (l.event_id) l.event_id, l.at, e.station_id, e.department_code
         FROM event_log l JOIN events e ON e.id = l.event_id
        WHERE l.action = 'supervise' AND l.data ->> 'card' = 'red' AND l.event_id % ${ACCOUNTABILITY_EVERY} = 0 AND e.station_id IS NOT NULL
        ORDER BY l.event_id, l.at)
     INSERT INTO accountability_records (kind, station_id, department_code, source, title, detail, decided_on, created_name, request_key)
     SELECT (ARRAY['notice', 'talk', 'accountability'])[1 + (event_id / ${ACCOUNTABILITY_EVERY}) % 3], station_id, department_code, 'red_card',
            '红牌督办追责：事件 #' || event_id, '事件超过红牌时限仍未办结，依 S13 追责', ((at AT TIME ZONE 'Asia/Shanghai') + interval '3 days')::date,
            '压测区指挥中心', 'bench-accountability-' || event_id
       FROM red WHERE at + interval '3 days' <= now()`,
  );
  await db.query(
    `INSERT INTO accountability_events (record_id, event_id)
     SELECT id, substring(request_key FROM '(\\d+)$')::bigint FROM accountability_records WHERE request_key LIKE 'bench-accountability-%'`,
  );
  const { rowCount: named } = await db.query(
    `INSERT INTO accountability_people (record_id, person_id)
     SELECT DISTINCT ae.record_id, coalesce(
              (SELECT a.person_id FROM event_log l JOIN accounts a ON a.id = l.actor_id
                WHERE l.event_id = ae.event_id AND l.action = 'handle' ORDER BY l.at DESC LIMIT 1),
              (SELECT a.person_id FROM bench_acceptors b JOIN accounts a ON a.id = b.account_id WHERE b.station_id = r.station_id))
       FROM accountability_events ae JOIN accountability_records r ON r.id = ae.record_id
      WHERE r.request_key LIKE 'bench-accountability-%'`,
  );
  // The checklist of lib/reviews/checklist (S14), full marks but for two items a station, a few marks
  // lost on each with a finding; a station whose review the demo left a draft gets it scored.
  const { rows: stations } = await db.query<{ id: number }>(`SELECT id FROM stations ORDER BY id`);
  const scoredAt = `${year}-03-31T12:00:00+08:00`;
  let reviews = 0;
  for (const s of stations) {
    const lose = [CHECKLIST[s.id % CHECKLIST.length], CHECKLIST[(s.id * 7 + 3) % CHECKLIST.length]];
    const { items, issues } = applyInputs(freshItems(new Map(), scoredAt), [
      ...CHECKLIST.map((c) => ({ code: c.code, score: c.full })),
      ...lose.map((c, i) => ({ code: c.code, score: Math.round(c.full * (0.5 + 0.1 * ((s.id + i) % 4)) * 100) / 100, finding: '检查发现部分不到位' })),
    ]);
    if (issues.length) throw new Error(`bench review of station ${s.id}: ${issues.map((x) => x.message).join('; ')}`);
    const total = totalOf(items);
    const { rowCount } = await db.query(
      `INSERT INTO station_reviews (station_id, year, state, items, score, max_score, scored_name, scored_at)
       VALUES ($1, $2, 'scored', $3, $4, $5, '压测区指挥中心', $6)
       ON CONFLICT (station_id, year) DO UPDATE SET state = 'scored', items = EXCLUDED.items, score = EXCLUDED.score,
              max_score = EXCLUDED.max_score, scored_name = EXCLUDED.scored_name, scored_at = EXCLUDED.scored_at, updated_at = now()
        WHERE station_reviews.state = 'draft'`,
      [s.id, year, JSON.stringify(items), total.score, total.max, scoredAt],
    );
    reviews += rowCount ?? 0;
  }
  await db.query('ANALYZE events');
  return { petitionSkip: flags.rows[0].p, groupIncidents: flags.rows[0].g, accountability: accountability ?? 0, named: named ?? 0, reviews };
}
