// The stations' routine work the 会商召开率 and 联查开展率 indicators count (S11, S10), over the
// bench's days: every station's weekly and monthly consultations as lib/command/meetings plans them
// (nine in ten held: started and ended; the rest left scheduled), each resident department's weekly
// joint inspection (on the week's Wednesday, five in six done) and the station's monthly one (the
// 15th, nine in ten) — so those figures are neither empty nor full, as a real year's are not.
import type { Db } from '../../server/db/pool';
import { calendarOf } from '../../server/assessment/figures';
import { meetingsOfMonth } from '../../lib/command/meetings';
import { addDays } from '../../lib/analytics/period';
import { shanghaiDay } from '../../lib/time/workdays';

export interface Meetings {
  consultations: number;
  held: number;
  inspections: number;
}

/** Months (YYYY-MM) from the one holding `from` to the one holding `to`. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7); m === 12 ? (y++, (m = 1)) : m++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

export async function generateMeetings(db: Db, days: number, now = new Date()): Promise<Meetings> {
  const today = shanghaiDay(now);
  const first = addDays(today, -(days - 1));
  const cal = await calendarOf(db);
  const plan = monthsBetween(first, today)
    .flatMap((m) => meetingsOfMonth(m, cal))
    .filter((m) => m.day >= first && m.startsAt.getTime() <= now.getTime())
    .map((m) => ({ kind: m.kind, title: m.title, at: m.startsAt.toISOString() }));
  const c = await db.query<{ held: boolean }>(
    `INSERT INTO consultations (kind, station_id, title, state, called_by, called_name, scheduled_at, started_at, ended_at, created_at)
     SELECT m.kind, s.id, m.title, CASE WHEN h.held THEN 'closed' ELSE 'scheduled' END, a.account_id, a.name, m.at,
            CASE WHEN h.held THEN m.at + interval '5 minutes' END, CASE WHEN h.held THEN m.at + interval '75 minutes' END, m.at - interval '3 days'
       FROM json_to_recordset($1::json) AS m(kind text, title text, at timestamptz)
      CROSS JOIN stations s
       LEFT JOIN bench_acceptors a ON a.station_id = s.id
      CROSS JOIN LATERAL (SELECT ('x' || substr(md5(s.id || m.title || m.at), 1, 4))::bit(16)::int % 10 <> 0 AS held) h
     RETURNING started_at IS NOT NULL AS held`,
    [JSON.stringify(plan)],
  );
  const i = await db.query(
    `WITH d AS (SELECT day::date FROM generate_series($1::date, $2::date, interval '1 day') AS day)
     INSERT INTO inspections (station_id, kind, department_code, day, area, participants)
     SELECT sd.station_id, 'department_weekly', dp.code, d.day, '辖区重点部位', ARRAY[dp.name]
       FROM d CROSS JOIN station_departments sd JOIN departments dp ON dp.id = sd.department_id
      WHERE sd.residency = 'resident' AND extract(isodow FROM d.day) = 3
        AND ('x' || substr(md5(sd.station_id || dp.code || d.day), 1, 4))::bit(16)::int % 6 <> 0
     UNION ALL
     SELECT s.id, 'station_monthly', NULL, d.day, '全站联合巡查', ARRAY['全体入驻部门']
       FROM d CROSS JOIN stations s
      WHERE extract(day FROM d.day) = 15 AND ('x' || substr(md5(s.id || 'm' || d.day), 1, 4))::bit(16)::int % 10 <> 0`,
    [first, today],
  );
  return { consultations: c.rowCount ?? 0, held: c.rows.filter((r) => r.held).length, inspections: i.rowCount ?? 0 };
}
