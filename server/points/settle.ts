import type { Role } from '@/lib/roles';
import {
  citizenHolder, entriesOwed, inspectionEntries, isValidReport, personHolder, reporterWho,
  type HolderReport, type NewEntry, type PaidEntry, type PointsRule, type ReportFacts,
} from '@/lib/points/rules';
import type { Db, Tx } from '../db/pool';

/*
 * Settling points (issue 15 point 5, S14): load the facts of the reported things touched, ask
 * lib/points/rules what is owed, write it. Every write is ON CONFLICT DO NOTHING against the
 * ledger's unique keys (migration 022), so settling the same thing again, or twice at once, pays
 * nothing twice. The job (server/jobs/points.ts) settles what changed since its last run; marking
 * an event false settles its thing at once (the clawback is in the same transaction as the mark).
 */

type Q = Db | Tx;

export async function loadRules(q: Q): Promise<Map<string, PointsRule>> {
  const { rows } = await q.query<PointsRule>(`SELECT code, label, points, who, active FROM points_rules`);
  return new Map(rows.map((r) => [r.code, r]));
}

/** The root of each event's duplicate/merge chain (merged_into first: a merge is the leaders' word). */
async function rootsOf(q: Q, ids: readonly number[]): Promise<Map<number, number>> {
  const { rows } = await q.query<{ id: number; root: number }>(
    `WITH RECURSIVE up(id, at, depth) AS (
       SELECT id, id, 0 FROM events WHERE id = ANY($1::bigint[])
       UNION ALL
       SELECT up.id, coalesce(e.merged_into, e.duplicate_of), up.depth + 1
         FROM up JOIN events e ON e.id = up.at
        WHERE coalesce(e.merged_into, e.duplicate_of) IS NOT NULL AND up.depth < 32)
     SELECT DISTINCT ON (id) id::int, at::int AS root FROM up ORDER BY id, depth DESC`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.root]));
}

/** Every event of each thing: the root and all linked to it, at any depth. */
async function membersOf(q: Q, roots: readonly number[]): Promise<Map<number, number[]>> {
  const { rows } = await q.query<{ id: number; root: number }>(
    `WITH RECURSIVE down(id, root, depth) AS (
       SELECT id, id, 0 FROM events WHERE id = ANY($1::bigint[])
       UNION ALL
       SELECT e.id, down.root, down.depth + 1
         FROM down JOIN events e ON coalesce(e.merged_into, e.duplicate_of) = down.id
        WHERE coalesce(e.merged_into, e.duplicate_of) IS NOT NULL AND down.depth < 32)
     SELECT DISTINCT id::int, root::int FROM down`,
    [roots],
  );
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.root, [...(out.get(r.root) ?? []), r.id]);
  return out;
}

interface FactRow {
  eventId: number;
  stationId: number | null;
  kind: string;
  state: string;
  closedAt: Date | null;
  reportedAt: Date;
  category: string;
  place: string | null;
  handledAt: Date | null;
  handleDueAt: Date | null;
  reporterRole: Role | null;
  reporterPerson: number | null;
  requestId: number | null;
  requestPhone: string | null;
  handlerPerson: number | null;
  falseReason: string | null;
}

async function factsOf(q: Q, ids: readonly number[]): Promise<Map<number, ReportFacts>> {
  const { rows } = await q.query<FactRow>(
    `SELECT e.id::int AS "eventId", e.station_id AS "stationId", e.kind, e.state, e.closed_at AS "closedAt", e.reported_at AS "reportedAt",
            e.category, coalesce(e.grid_code, e.village_code) AS place, e.handled_at AS "handledAt", e.handle_due_at AS "handleDueAt",
            a.role AS "reporterRole", a.person_id AS "reporterPerson",
            cr.id::int AS "requestId", cr.phone AS "requestPhone", h.person_id AS "handlerPerson", f.reason AS "falseReason"
       FROM events e
       LEFT JOIN accounts a ON a.id = e.reported_by
       -- The resident whose request made the event; others' identical reports (merged) follow it and earn nothing.
       LEFT JOIN LATERAL (SELECT c.id, c.phone FROM citizen_requests c WHERE c.event_id = e.id AND NOT c.merged ORDER BY c.id LIMIT 1) cr ON e.reported_by_citizen
       -- Who recorded 处置反馈: the last handle (or answer) step.
       LEFT JOIN LATERAL (SELECT ha.person_id FROM event_log l JOIN accounts ha ON ha.id = l.actor_id
                           WHERE l.event_id = e.id AND l.action IN ('handle', 'answer') ORDER BY l.id DESC LIMIT 1) h ON true
       LEFT JOIN event_false_reports f ON f.event_id = e.id
      WHERE e.id = ANY($1::bigint[])`,
    [ids],
  );
  const out = new Map<number, ReportFacts>();
  for (const r of rows) {
    let reporter: ReportFacts['reporter'] = null;
    if (r.requestId !== null) reporter = { holder: citizenHolder(r.requestId, r.requestPhone), who: 'citizen' };
    else if (r.reporterRole && r.reporterPerson !== null) {
      const who = reporterWho(r.reporterRole);
      if (who && who !== 'citizen') reporter = { holder: personHolder(r.reporterPerson), who };
    }
    out.set(r.eventId, {
      eventId: r.eventId, stationId: r.stationId, kind: r.kind, state: r.state, closedAt: r.closedAt, reportedAt: r.reportedAt,
      category: r.category, place: r.place, reporter, handledAt: r.handledAt, handleDueAt: r.handleDueAt,
      handler: r.handlerPerson !== null ? personHolder(r.handlerPerson) : null,
      falseReport: r.falseReason !== null ? { reason: r.falseReason } : null,
    });
  }
  return out;
}

async function paidFor(q: Q, eventIds: readonly number[]): Promise<PaidEntry[]> {
  const { rows } = await q.query<PaidEntry>(
    `SELECT holder, rule_code AS "ruleCode", points, ref, event_id::int AS "eventId" FROM points_ledger WHERE event_id = ANY($1::bigint[])`,
    [eventIds],
  );
  return rows;
}

/** Reports already paid to these holders (for the unlinked-repeat rule), from `since` on. */
async function holderReports(q: Q, holders: readonly string[], since: Date): Promise<Map<string, HolderReport[]>> {
  const out = new Map<string, HolderReport[]>();
  if (!holders.length) return out;
  const { rows } = await q.query<HolderReport & { holder: string }>(
    `SELECT l.holder, e.id::int AS "eventId", e.category, coalesce(e.grid_code, e.village_code) AS place, e.reported_at AS "reportedAt"
       FROM points_ledger l JOIN events e ON e.id = l.event_id
      WHERE l.holder = ANY($1::text[]) AND l.ref LIKE 'thing:%' AND l.points > 0 AND e.reported_at >= $2`,
    [holders, since],
  );
  for (const r of rows) out.set(r.holder, [...(out.get(r.holder) ?? []), r]);
  return out;
}

/** Writes entries; what a unique key already holds is skipped. Returns the number written. */
export async function writeEntries(q: Q, entries: readonly NewEntry[]): Promise<number> {
  if (!entries.length) return 0;
  const { rowCount } = await q.query(
    `INSERT INTO points_ledger (holder, person_id, citizen_request_id, station_id, rule_code, points, event_id, inspection_id, ref, reason)
     SELECT x.holder, x.person_id, x.citizen_request_id, x.station_id, x.rule_code, x.points, x.event_id, x.inspection_id, x.ref, x.reason
       FROM jsonb_to_recordset($1::jsonb) AS x(holder text, person_id integer, citizen_request_id bigint, station_id integer, rule_code text,
                                                points integer, event_id bigint, inspection_id bigint, ref text, reason text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(entries.map((e) => ({
      holder: e.holder.key, person_id: e.holder.personId, citizen_request_id: e.holder.citizenRequestId, station_id: e.stationId,
      rule_code: e.ruleCode, points: e.points, event_id: e.eventId, inspection_id: e.inspectionId ?? null, ref: e.ref, reason: e.reason,
    })))],
  );
  return rowCount ?? 0;
}

/**
 * Settles the things these events belong to. Things are taken in the order of their first report,
 * so that of two unlinked repeats by one holder the earlier is the one paid (S14 abuse rule).
 */
export async function settleEvents(q: Q, eventIds: readonly number[], rules?: Map<string, PointsRule>): Promise<NewEntry[]> {
  if (!eventIds.length) return [];
  const ruleMap = rules ?? (await loadRules(q));
  const roots = [...new Set((await rootsOf(q, eventIds)).values())];
  const members = await membersOf(q, roots);
  const allIds = [...new Set([...members.values()].flat())];
  const facts = await factsOf(q, allIds);
  const paid = await paidFor(q, allIds);
  const things = roots.map((root) => ({ root, reports: (members.get(root) ?? [root]).map((id) => facts.get(id)).filter((f): f is ReportFacts => !!f) }))
    .sort((a, b) => firstAt(a.reports) - firstAt(b.reports) || a.root - b.root);
  const holders = [...new Set(things.flatMap((t) => t.reports.filter(isValidReport).flatMap((r) => (r.reporter ? [r.reporter.holder.key] : []))))];
  const earliest = Math.min(...things.map((t) => firstAt(t.reports)));
  const others = await holderReports(q, holders, new Date((Number.isFinite(earliest) ? earliest : Date.now()) - 24 * 3600_000));
  const written: NewEntry[] = [];
  for (const t of things) {
    const mine = new Set(t.reports.map((r) => r.eventId));
    const owed = entriesOwed(t.root, t.reports, paid.filter((p) => p.eventId !== null && mine.has(p.eventId)), ruleMap, others);
    for (const e of owed) {
      if (e.points > 0 && e.ref.startsWith('thing:')) {
        const r = t.reports.find((x) => x.eventId === e.eventId)!;
        others.set(e.holder.key, [...(others.get(e.holder.key) ?? []), { eventId: r.eventId, category: r.category, place: r.place, reportedAt: r.reportedAt }]);
      }
    }
    written.push(...owed);
  }
  await writeEntries(q, written);
  return written;
}

const firstAt = (reports: readonly ReportFacts[]): number => Math.min(...reports.map((r) => r.reportedAt.getTime()));

/**
 * Settles joint inspections (S10): those who took part are the recorder and each participant named
 * who is, by that name, exactly one person of the station's roster (inspections record names).
 */
export async function settleInspections(q: Q, inspectionIds: readonly number[], rules?: Map<string, PointsRule>): Promise<NewEntry[]> {
  if (!inspectionIds.length) return [];
  const ruleMap = rules ?? (await loadRules(q));
  const { rows } = await q.query<{ id: number; stationId: number; day: string; people: number[] | null }>(
    `SELECT i.id::int, i.station_id AS "stationId", to_char(i.day, 'YYYY-MM-DD') AS day,
            ARRAY(SELECT ra.person_id FROM accounts ra WHERE ra.id = i.created_by AND ra.person_id IS NOT NULL
                  UNION
                  SELECT min(p.id) FROM people p JOIN unnest(i.participants) AS n(name) ON p.name = btrim(n.name)
                   WHERE EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.station_id = i.station_id)
                   GROUP BY p.name HAVING count(DISTINCT p.id) = 1) AS people
       FROM inspections i WHERE i.id = ANY($1::bigint[])`,
    [inspectionIds],
  );
  const { rows: paid } = await q.query<PaidEntry & { inspectionId: number }>(
    `SELECT holder, rule_code AS "ruleCode", points, ref, event_id AS "eventId", inspection_id::int AS "inspectionId"
       FROM points_ledger WHERE inspection_id = ANY($1::bigint[])`,
    [inspectionIds],
  );
  const owed = rows.flatMap((i) => inspectionEntries(i, (i.people ?? []).map(Number), paid.filter((p) => p.inspectionId === i.id), ruleMap));
  await writeEntries(q, owed);
  return owed;
}
