import { meetingsOfMonth, type PlannedMeeting } from '@/lib/command/meetings';
import type { ConsultationV1 } from '@/lib/contracts/command';
import { shanghaiDay } from '@/lib/time/workdays';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import { HANDLED_SQL } from '../db/sql';
import { readConsultations } from './consult-read';
import { inviteByRule } from './invitees';
import { repeat } from '../jobs/repeat';

type App = Pick<AppContext, 'db' | 'reference'>;

/** A grid with this many events of one category in 30 days is a recurring hotspot for the agenda. */
const HOTSPOT_MIN = 3;

/**
 * What needs joint handling (S11): events the station coordinates, events past their limit,
 * recurring hotspots, and early warnings (S9) the station's leaders turned into an agenda item of
 * a meeting not yet closed. Filled when the meeting is scheduled and again when it opens.
 */
export async function agendaFor(tx: Tx, stationId: number): Promise<ConsultationV1['agenda']> {
  const { rows } = await tx.query<ConsultationV1['agenda'][number]>(
    `(SELECT 'coordinated' AS kind, '站内统筹：' || title AS label, id AS "eventId" FROM events
       WHERE station_id = $1 AND state = 'coordinated' ORDER BY reported_at LIMIT 20)
     UNION ALL
     (SELECT 'overdue', (CASE card WHEN 'red' THEN '红牌' ELSE '黄牌' END) || '超时：' || title, id FROM events
       WHERE station_id = $1 AND card <> 'none' AND state NOT IN ${HANDLED_SQL}
       ORDER BY red_at NULLS LAST LIMIT 20)
     UNION ALL
     (SELECT 'hotspot', '反复发生：' || g.name || ' · ' || coalesce(c.label, e.category) || ' ' || count(*) || ' 件（近30天）', NULL
        FROM events e JOIN regions g ON g.code = e.grid_code LEFT JOIN categories c ON c.code = e.category
       WHERE e.station_id = $1 AND e.reported_at > now() - interval '30 days'
       GROUP BY g.name, c.label, e.category HAVING count(*) >= ${HOTSPOT_MIN} ORDER BY count(*) DESC LIMIT 10)
     UNION ALL
     (SELECT 'warning', '预警：' || w.title, NULL FROM warnings w
       WHERE w.station_id = $1 AND w.converted_kind = 'consultation'
         AND EXISTS (SELECT 1 FROM consultations k WHERE k.id = w.converted_id AND k.state <> 'closed')
       ORDER BY w.converted_at LIMIT 20)`,
    [stationId],
  );
  return rows;
}

/**
 * Creates the month's regular meetings (S11) of each station, once: the key of each meeting and
 * station is unique, so running it again, or on several processes, adds nothing. Returns the ids
 * of the meetings of that month, new and old.
 */
export async function scheduleMeetings(app: App, month: string, stationIds?: number[]): Promise<number[]> {
  const ref = await app.reference.get();
  const planned = meetingsOfMonth(month, ref.calendar);
  return inTransaction(app.db, async (tx) => {
    const { rows: stations } = await tx.query<{ id: number }>(
      `SELECT id FROM stations WHERE $1::int[] IS NULL OR id = ANY($1::int[]) ORDER BY id`,
      [stationIds ?? null],
    );
    const ids: number[] = [];
    for (const s of stations) {
      const agenda = await agendaFor(tx, s.id);
      for (const m of planned) {
        const id = await scheduleOne(tx, s.id, m, agenda);
        ids.push(id);
      }
    }
    return ids;
  });
}

async function scheduleOne(tx: Tx, stationId: number, m: PlannedMeeting, agenda: ConsultationV1['agenda']): Promise<number> {
  const key = `${m.key}:station:${stationId}`;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO consultations (kind, station_id, title, state, idempotency_key, scheduled_at, agenda)
     VALUES ($1, $2, $3, 'scheduled', $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [m.kind, stationId, m.title, key, m.startsAt, JSON.stringify(agenda)],
  );
  if (rows[0]) {
    await inviteByRule(tx, rows[0].id, stationId, m.invitees);
    await tx.query(
      `INSERT INTO audit_log (role, action, target, detail) VALUES ('system', 'consultation.schedule', $1, $2)`,
      [`consultation:${rows[0].id}`, { kind: m.kind, day: m.day, stationId }],
    );
    return rows[0].id;
  }
  // Not yet held: its agenda follows what needs joint handling now.
  const { rows: had } = await tx.query<{ id: number }>(
    `WITH m AS (SELECT id, state, scheduled_at FROM consultations WHERE idempotency_key = $1),
          u AS (UPDATE consultations c SET agenda = $2, version = c.version + 1 FROM m
                 WHERE c.id = m.id AND c.state = 'scheduled' AND c.scheduled_at > now() AND c.agenda IS DISTINCT FROM $2::jsonb
                 RETURNING c.id)
     SELECT id FROM m`,
    [key, JSON.stringify(agenda)],
  );
  return had[0].id;
}

export async function meetingsOf(app: App, stationId: number, month: string): Promise<ConsultationV1[]> {
  const { rows } = await app.db.query<{ id: number }>(
    `SELECT id FROM consultations WHERE station_id = $1 AND kind IN ('weekly', 'monthly')
        AND to_char(scheduled_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $2 ORDER BY scheduled_at`,
    [stationId, month],
  );
  return readConsultations(app.db, rows.map((r) => r.id));
}

const monthOf = (d: Date) => shanghaiDay(d).slice(0, 7);
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Keeps this month's and next month's meetings scheduled; checks every few hours. */
export function startMeetingScheduler(app: App, everyMs = 6 * 3600_000): { stop(): Promise<void> } {
  return repeat('meetings', everyMs, async () => {
    const month = monthOf(new Date());
    await scheduleMeetings(app, month);
    await scheduleMeetings(app, nextMonth(month));
  });
}
