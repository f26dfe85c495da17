import { GRID_STAFF, type Role } from '../roles';

/**
 * Rewards (积分; issue 15 point 5, S14: "rewards for grid reports and valid public tips") as a pure
 * function: from the facts of one reported thing (an event and the reports linked to it as
 * duplicates or merged into it) to the ledger entries owed. No I/O: server/points loads the facts,
 * calls this and writes what it returns (ON CONFLICT DO NOTHING, so a re-run pays nothing twice).
 *
 * The rules (S14, issue 15):
 * - A report is valid when verified and closed: kind 'problem', state closed or rated, closed_at set.
 * - Returned or merged reports earn nothing; a thing reported several times (duplicate_of, merged_into)
 *   pays one report: the first valid one, by report time. Once paid, it stays with whoever was paid.
 * - The same holder reporting the same thing twice earns once: linked reports are one thing; an
 *   unlinked report of the same category at the same place within REPEAT_WINDOW_MS of one already
 *   paid to the same holder earns nothing.
 * - An event later found false takes back what its report earned: a negative entry with the reason.
 * - Closing on time pays whoever recorded 处置反馈 (the last 'handle' or 'answer' step), when the event
 *   was handled within its handling limit (handled_at ≤ handle_due_at, the yellow limit) and is valid.
 * - Each person who took part in a joint inspection earns once per inspection (inspectionEntries).
 */

export const POINTS_WHO = ['gridder', 'volunteer', 'citizen', 'staff'] as const;
export type PointsWho = (typeof POINTS_WHO)[number];

export const WHO_LABEL: Record<PointsWho, string> = { gridder: '网格员', volunteer: '志愿者', citizen: '群众', staff: '工作人员' };

/** The rule codes the code knows (migration 022 seeds them; points and labels are data). */
export const REPORT_RULE: Record<'gridder' | 'volunteer' | 'citizen', string> = {
  gridder: 'report_gridder',
  volunteer: 'report_volunteer',
  citizen: 'report_citizen',
};
export const HANDLED_RULE = 'handled_on_time';
export const INSPECTION_RULE = 'inspection';

/** A second unlinked report by the same holder of the same category at the same place within a day is the same thing. */
export const REPEAT_WINDOW_MS = 24 * 3600_000;

export interface PointsRule {
  code: string;
  label: string;
  points: number;
  who: PointsWho;
  active: boolean;
}

/** Whom points belong to: a person (staff, volunteer), or a resident by their request. */
export interface Holder {
  /** 'p:<person id>', 'c:<phone>' or 'r:<request id>' (migration 022). */
  key: string;
  personId: number | null;
  citizenRequestId: number | null;
}

/** Volunteers and 网格信息员 are members of the public who report (S6); the other grid staff are gridders. */
export function reporterWho(role: Role | 'citizen'): 'gridder' | 'volunteer' | 'citizen' | null {
  if (role === 'citizen') return 'citizen';
  if (role === 'volunteer' || role === 'grid_info') return 'volunteer';
  if ((GRID_STAFF as readonly string[]).includes(role)) return 'gridder';
  return null;
}

export const personHolder = (personId: number): Holder => ({ key: `p:${personId}`, personId, citizenRequestId: null });
/** A resident's points follow their phone across requests; without a phone, the one request. */
export const citizenHolder = (requestId: number, phone: string | null): Holder => ({
  key: phone ? `c:${phone.replace(/\D/g, '') || phone}` : `r:${requestId}`,
  personId: null,
  citizenRequestId: requestId,
});

export interface ReportFacts {
  eventId: number;
  stationId: number | null;
  kind: string;
  state: string;
  closedAt: Date | null;
  reportedAt: Date;
  category: string;
  /** Grid code, else village code: where, for the unlinked-repeat rule. */
  place: string | null;
  /** Who reported it and as what; null: nobody who earns (a source system, a leader, an account with no person). */
  reporter: { holder: Holder; who: 'gridder' | 'volunteer' | 'citizen' } | null;
  handledAt: Date | null;
  handleDueAt: Date | null;
  /** Who recorded 处置反馈 (the last handle or answer step); null: nobody with a person. */
  handler: Holder | null;
  /** Found false (event_false_reports). */
  falseReport: { reason: string } | null;
}

/** A ledger entry already written (what the job read back for this thing). */
export interface PaidEntry {
  holder: string;
  ruleCode: string | null;
  points: number;
  ref: string;
  eventId: number | null;
}

/** A report already paid to the same holder elsewhere (for the unlinked-repeat rule). */
export interface HolderReport {
  eventId: number;
  category: string;
  place: string | null;
  reportedAt: Date;
}

export interface NewEntry {
  holder: Holder;
  stationId: number | null;
  ruleCode: string;
  points: number;
  eventId: number | null;
  inspectionId?: number;
  ref: string;
  reason: string;
}

export const isValidReport = (e: Pick<ReportFacts, 'kind' | 'state' | 'closedAt'>): boolean =>
  e.kind === 'problem' && (e.state === 'closed' || e.state === 'rated') && e.closedAt !== null;

export const thingRef = (rootId: number): string => `thing:${rootId}`;
export const handledRef = (eventId: number): string => `handled:${eventId}`;
export const inspectionRef = (inspectionId: number): string => `inspection:${inspectionId}`;
export const clawbackRef = (ref: string): string => `${ref}:false`;

const activeRule = (rules: ReadonlyMap<string, PointsRule>, code: string): PointsRule | null => {
  const r = rules.get(code);
  return r && r.active && r.points !== 0 ? r : null;
};

/**
 * What a reported thing owes now. `reports` are the thing's events (the root and everything linked
 * to it, in any order); `paid` the entries already written for them; `otherPaid` the reports already
 * paid to each reporter for other things (by holder key).
 */
export function entriesOwed(
  rootId: number,
  reports: readonly ReportFacts[],
  paid: readonly PaidEntry[],
  rules: ReadonlyMap<string, PointsRule>,
  otherPaid: ReadonlyMap<string, readonly HolderReport[]> = new Map(),
): NewEntry[] {
  const out: NewEntry[] = [];
  const ref = thingRef(rootId);
  const falseMark = reports.find((r) => r.falseReport)?.falseReport ?? null;
  const paidRefs = new Set(paid.map((p) => `${p.holder} ${p.ruleCode ?? ''} ${p.ref}`));
  const has = (holder: string, rule: string | null, r: string) => paidRefs.has(`${holder} ${rule ?? ''} ${r}`);
  const byId = new Map(reports.map((r) => [r.eventId, r]));

  // The report: one per thing; found false, what was paid is taken back and nothing more is paid.
  const reportPaid = paid.filter((p) => p.ref === ref && p.points > 0);
  if (falseMark) {
    for (const p of reportPaid) {
      if (has(p.holder, p.ruleCode, clawbackRef(ref))) continue;
      const e = p.eventId !== null ? byId.get(p.eventId) : undefined;
      const holder = holderOfKey(p.holder, e);
      if (!holder) continue;
      out.push({
        holder, stationId: e?.stationId ?? null, ruleCode: p.ruleCode!, points: -p.points, eventId: p.eventId, ref: clawbackRef(ref),
        reason: `查实为虚假上报，扣回积分：${falseMark.reason}`,
      });
    }
  } else if (reportPaid.length === 0) {
    const first = [...reports]
      .filter((r) => isValidReport(r) && r.reporter)
      .sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || a.eventId - b.eventId)[0];
    const rule = first?.reporter ? activeRule(rules, REPORT_RULE[first.reporter.who]) : null;
    if (first?.reporter && rule && !isRepeat(first, otherPaid.get(first.reporter.holder.key) ?? [])) {
      out.push({
        holder: first.reporter.holder, stationId: first.stationId, ruleCode: rule.code, points: rule.points, eventId: first.eventId, ref,
        reason: `${rule.label}：事件 ${first.eventId}`,
      });
    }
  }

  // Closing on time: each valid event of the thing that was handled within its limit pays its handler once.
  const onTime = activeRule(rules, HANDLED_RULE);
  if (onTime && !falseMark) {
    for (const e of reports) {
      // Any kind closed through the loop (a problem verified on site, a question answered) shows the handling was done.
      if (!((e.state === 'closed' || e.state === 'rated') && e.closedAt !== null)) continue;
      if (!e.handler || !e.handledAt || !e.handleDueAt || e.handledAt.getTime() > e.handleDueAt.getTime()) continue;
      if (has(e.handler.key, onTime.code, handledRef(e.eventId))) continue;
      out.push({
        holder: e.handler, stationId: e.stationId, ruleCode: onTime.code, points: onTime.points, eventId: e.eventId, ref: handledRef(e.eventId),
        reason: `${onTime.label}：事件 ${e.eventId}`,
      });
    }
  }
  return out;
}

/** An unlinked second report of the same category at the same place within a day of one already paid to the same holder. */
export function isRepeat(report: Pick<ReportFacts, 'eventId' | 'category' | 'place' | 'reportedAt'>, paidReports: readonly HolderReport[]): boolean {
  if (!report.place) return false;
  return paidReports.some((p) => p.eventId !== report.eventId && p.category === report.category && p.place === report.place
    && Math.abs(p.reportedAt.getTime() - report.reportedAt.getTime()) <= REPEAT_WINDOW_MS);
}

function holderOfKey(key: string, e: ReportFacts | undefined): Holder | null {
  if (e?.reporter?.holder.key === key) return e.reporter.holder;
  const m = /^p:(\d+)$/.exec(key);
  return m ? personHolder(Number(m[1])) : null;
}

/** A joint inspection (S10) pays each person who took part, once per inspection. */
export function inspectionEntries(
  inspection: { id: number; stationId: number; day: string },
  participants: readonly number[],
  paid: readonly PaidEntry[],
  rules: ReadonlyMap<string, PointsRule>,
): NewEntry[] {
  const rule = activeRule(rules, INSPECTION_RULE);
  if (!rule) return [];
  const ref = inspectionRef(inspection.id);
  const done = new Set(paid.filter((p) => p.ref === ref).map((p) => p.holder));
  return [...new Set(participants)]
    .map(personHolder)
    .filter((h) => !done.has(h.key))
    .map((holder) => ({
      holder, stationId: inspection.stationId, ruleCode: rule.code, points: rule.points, eventId: null, inspectionId: inspection.id, ref,
      reason: `${rule.label}：${inspection.day} 巡查 ${inspection.id}`,
    }));
}
