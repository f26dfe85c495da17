import { addDays } from '@/lib/analytics/period';
import type { ReviewItemV1 } from '@/lib/contracts/reviews';
import { applyInputs, CHECKLIST, freshItems, totalOf } from '@/lib/reviews/checklist';
import { shanghaiDay } from '@/lib/time/workdays';
import type { Tx } from '../db/pool';
import { pullFigures } from '../reviews/figures';

/*
 * Demo yearly reviews and accountability records (issue 15 points 3 and 4; S13, S14), so the
 * console has something to show: last year's review scored for the first three stations (the
 * first with two follow-up tasks, one overdue), this year's a draft for the first; three
 * accountability records by hand over the last months, one revoked, dated out of the current month.
 * Demo mode only. The seed writes no events: the simulator fills the history only into an empty
 * events table (server/sim/backfill.ts), so the two records that refer to events — one from a red
 * card, one from an overdue list — are written by seedHistoryRecords once that history is there.
 */

/** Lost marks per station of last year's review: item, score, finding. */
const LAST_YEAR: [string, number, string][][] = [
  [['built.site', 4, '公示栏未更新派驻人员名单'], ['rules.consult_monthly', 3.5, '有两个月未召开月度集中会商'], ['staffing.grid', 6, '两个网格未配备专职网格员']],
  [['facilities.command', 4, '会商室兼作档案室，指挥屏未接入'], ['results.satisfaction', 5.5, '群众满意率低于全区平均']],
  [['rules.inspections', 4.5, '常驻部门每周联合检查记录不全']],
];

async function review(tx: Tx, stationId: number, year: number, lost: [string, number, string][] | null, at: string): Promise<number> {
  const fresh = freshItems(await pullFigures(tx, stationId, year), at);
  const items: ReviewItemV1[] = lost === null ? fresh : applyInputs(fresh, [
    ...CHECKLIST.map((c) => ({ code: c.code, score: c.full })),
    ...lost.map(([code, score, finding]) => ({ code, score, finding })),
  ]).items;
  const total = lost === null ? null : totalOf(items);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO station_reviews (station_id, year, state, items, score, max_score, scored_name, scored_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (station_id, year) DO NOTHING RETURNING id::int`,
    [stationId, year, total ? 'scored' : 'draft', JSON.stringify(items), total?.score ?? null, total?.max ?? null, total ? '区指挥中心' : null, total ? `${year}-12-20T10:00:00+08:00` : null],
  );
  return rows[0]?.id ?? 0;
}

/** The first person holding `role` at the station (of `department`, when given); 0 when none. */
async function person(tx: Tx, stationId: number, role: string, department?: string | null): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `SELECT r.person_id AS id FROM person_roles r LEFT JOIN departments d ON d.id = r.department_id
      WHERE r.station_id = $1 AND r.role = $2 AND ($3::text IS NULL OR d.code = $3) ORDER BY r.person_id LIMIT 1`,
    [stationId, role, department ?? null],
  );
  return rows[0]?.id ?? 0;
}

interface DemoRecord {
  kind: string; stationId: number; departmentCode: string | null; source: string; title: string; detail: string;
  decidedOn: string; people: number[]; events: number[]; revoked?: string;
}

async function record(tx: Tx, r: DemoRecord): Promise<boolean> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO accountability_records (kind, station_id, department_code, source, title, detail, decided_on, created_name, request_key, revoked_at, revoked_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '区指挥中心', $8, $9, $10) ON CONFLICT (request_key) DO NOTHING RETURNING id::int`,
    [r.kind, r.stationId, r.departmentCode, r.source, r.title, r.detail, r.decidedOn, `demo-${r.stationId}-${r.decidedOn}-${r.kind}-${r.source}`,
      r.revoked ? `${r.decidedOn}T18:00:00+08:00` : null, r.revoked ?? null],
  );
  if (!rows[0]) return false;
  await tx.query(`INSERT INTO accountability_people (record_id, person_id) SELECT $1, unnest($2::int[])`, [rows[0].id, [...new Set(r.people.filter((p) => p > 0))]]);
  await tx.query(`INSERT INTO accountability_events (record_id, event_id) SELECT $1, unnest($2::bigint[])`, [rows[0].id, r.events.filter((e) => e > 0)]);
  return true;
}

export async function seedReviews(tx: Tx, now = new Date()): Promise<{ reviews: number; records: number }> {
  const { rows: stations } = await tx.query<{ id: number; name: string }>(`SELECT id, name FROM stations ORDER BY id LIMIT 3`);
  if (stations.length < 3) return { reviews: 0, records: 0 };
  const today = shanghaiDay(now);
  const year = Number(today.slice(0, 4));
  const at = now.toISOString();
  const ids: number[] = [];
  for (const [i, st] of stations.entries()) ids.push(await review(tx, st.id, year - 1, LAST_YEAR[i], at));
  await review(tx, stations[0].id, year, null, at);
  if (ids[0]) {
    await tx.query(
      `INSERT INTO review_tasks (review_id, station_id, item_code, title, due_on) VALUES
         ($1, $2, 'built.site', '更新公示栏派驻人员名单并拍照上传', $3), ($1, $2, 'staffing.grid', '为两个空缺网格配备专职网格员', $4)
       ON CONFLICT (review_id, item_code) DO NOTHING`,
      [ids[0], stations[0].id, addDays(today, -30), addDays(today, 30)],
    );
  }

  const [a, , c] = stations.map((s) => s.id);
  // Out of the current month, so this month's figures start clean.
  const monthStart = `${today.slice(0, 7)}-01`;
  const before = (days: number) => addDays(monthStart, -days);
  // The demo gridder account's person when it works at the first station (S13: a record names its own station's people).
  const { rows: g } = await tx.query<{ id: number }>(
    `SELECT a.person_id AS id FROM accounts a WHERE a.username = 'gridder' AND a.station_id = $1 AND a.person_id IS NOT NULL`, [a],
  );
  const gridderA = g[0]?.id ?? (await person(tx, a, 'gridder_full'));
  let records = 0;
  const add = async (r: DemoRecord) => void (records += Number(await record(tx, r)));
  await add({ kind: 'notice', stationId: a, departmentCode: null, source: 'manual', title: '网格巡查记录不实', detail: '抽查发现巡查记录与轨迹不符（S3），予以通报批评。', decidedOn: before(20), people: [gridderA], events: [] });
  await add({ kind: 'talk', stationId: a, departmentCode: 'market', source: 'manual', title: '月度集中会商缺席', detail: '连续两个月未参加月度集中会商（S11）。', decidedOn: before(70), people: [await person(tx, a, 'dept_staff', 'market')], events: [], revoked: '经核实，缺席系参加区级集中执法，已报备' });
  await add({ kind: 'accountability', stationId: c, departmentCode: null, source: 'manual', title: '矛盾纠纷化解不力引发越级信访', detail: '宅基地纠纷多次调解未果且未上报，引发越级信访（S13），造成不良影响，予以问责。', decidedOn: before(100), people: [await person(tx, c, 'station_chief'), await person(tx, c, 'mediator')], events: [] });
  return { reviews: ids.filter(Boolean).length + 1, records };
}

/**
 * The demo's two records that refer to events, written by the simulator's backfill in its own
 * transaction right after the history (server/sim/backfill.ts), from that history: the closed
 * events handled furthest past their limit, the second station's first (a month of demo history
 * has only a late event or two per station, some stations none, so every station is looked at). The worst gets the red card the supervision job would have raised on it (server/events/
 * supervise.ts: card, red_at, the log entry the red_cards indicator counts) and a 约谈 from it;
 * the next an 通报批评 from the overdue list. Decided two days after the event closed, never after
 * today. Nothing without such events; a second call adds nothing.
 */
export async function seedHistoryRecords(tx: Tx, now = new Date()): Promise<number> {
  const { rows: late } = await tx.query<{ id: number; stationId: number; title: string; departmentCode: string | null; closedAt: Date }>(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM stations)
     SELECT e.id::int, e.station_id AS "stationId", e.title, e.department_code AS "departmentCode", e.closed_at AS "closedAt"
       FROM events e JOIN s ON s.id = e.station_id
      WHERE e.closed_at IS NOT NULL AND e.handled_at > e.handle_due_at AND e.closed_at < $1
      ORDER BY s.n = 2 DESC, s.n, e.handled_at - e.handle_due_at DESC, e.id LIMIT 2`,
    [now],
  );
  if (late.length === 0) return 0;
  const today = shanghaiDay(now);
  const decided = (closedAt: Date) => {
    const day = addDays(shanghaiDay(closedAt), 2);
    return day < today ? day : today;
  };
  const [red, overdue] = late;
  await tx.query(
    `WITH e AS (UPDATE events SET card = 'red', red_at = handle_due_at + (handled_at - handle_due_at) / 2,
                                  handle_red_at = handle_due_at + (handled_at - handle_due_at) / 2
                 WHERE id = $1 AND card <> 'red' RETURNING id, red_at)
     INSERT INTO event_log (event_id, at, actor_role, actor_name, from_state, to_state, action, note, data)
     SELECT id, red_at, 'system', '督办', 'in_progress', 'in_progress', 'supervise', '红牌督办：已超过红牌时限', '{"card":"red"}'::jsonb FROM e`,
    [red.id],
  );
  const peopleOf = async (e: typeof red) => [
    await person(tx, e.stationId, 'dept_staff', e.departmentCode ?? 'enforcement'), await person(tx, e.stationId, 'deputy_chief'),
  ];
  let n = 0;
  n += Number(await record(tx, {
    kind: 'talk', stationId: red.stationId, departmentCode: red.departmentCode, source: 'red_card',
    title: `事件“${red.title}”红牌督办处置不力`, detail: '事件超过红牌时限方处置完毕，经红牌督办（S13）。对责任人进行约谈。',
    decidedOn: decided(red.closedAt), people: await peopleOf(red), events: [red.id],
  }));
  if (overdue) {
    n += Number(await record(tx, {
      kind: 'notice', stationId: overdue.stationId, departmentCode: overdue.departmentCode, source: 'overdue',
      title: '超期未办事件通报', detail: '有事件超过办理时限，推诿拖延（S12、S13），予以通报批评。',
      decidedOn: decided(overdue.closedAt), people: [(await peopleOf(overdue))[0]], events: [overdue.id],
    }));
  }
  return n;
}
