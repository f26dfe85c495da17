import { z } from 'zod';
import type { KpiCode } from './kpi';
import type { ScoreItemV1 } from './scores';
import type { Ratios, Tally } from '../coverage/figures';
import { IdempotencyKey } from './events';
import { PeriodKey } from './scores';

/*
 * The monthly, quarterly and yearly report (issue 15 point 6; S13 assessment, S14 star stations):
 * one document for the xlsx (server/reports/xlsx.ts), the printable A4 page and the tests. A
 * district report holds every station; a station's report only its own, with its place as
 * "第 n / N" and no other station's name (lib/access/scope: a station's people see their station).
 */

/** 'district' or 's:<station id>'. */
export const REPORT_SCOPE_PATTERN = /^(district|s:[1-9]\d{0,9})$/;
export const ReportScope = z.string({ error: '须为报告范围' }).regex(REPORT_SCOPE_PATTERN, '报告范围须为 district 或 s:<工作站编号>');
export type ReportScope = string;
export const stationOfScope = (scope: string): number | null => (scope.startsWith('s:') ? Number(scope.slice(2)) : null);

/** GET /api/v1/reports/:period.xlsx and .json: the scope defaults to the caller's (the district, or a leader's own station). */
export const ReportQuery = z.object({ scope: ReportScope.optional() }).strict();
export type ReportQuery = z.infer<typeof ReportQuery>;

/** GET /api/v1/reports */
export const ReportListQuery = z.object({ period: PeriodKey.optional() }).strict();
export type ReportListQuery = z.infer<typeof ReportListQuery>;

/** POST /api/v1/reports/:period/generate */
export const GenerateReportInputV1 = z.object({ scope: ReportScope.optional(), requestKey: IdempotencyKey }).strict();
export type GenerateReportInputV1 = z.infer<typeof GenerateReportInputV1>;

/** The cockpit's figures the report shows, in this order (units online is a now-figure: not in a period's report). */
export const REPORT_KPIS = ['reported', 'completion', 'on_time', 'overdue', 'accept_p50', 'handle_p50', 'satisfaction', 'repeat', 'mediation', 'coverage'] as const satisfies readonly KpiCode[];
export type ReportKpiCode = (typeof REPORT_KPIS)[number];

export interface ReportFigureV1 {
  value: number | null;
  num: number | null;
  den: number | null;
}
export type ReportKpisV1 = Record<ReportKpiCode, ReportFigureV1>;

/** Long lists are bounded so a district month stays small (issue 15: ≤ 5 MB); each list says how many there are. */
export const REPORT_LIMITS = { overduePerStation: 50, redCardsPerStation: 50, pointsPerStation: 20, staffTopBottom: 20 } as const;

export interface ReportScoreV1 {
  total: number;
  computedTotal: number;
  adjustment: number;
  earned: number;
  deducted: number;
  stars: number;
  /** Among the subjects of its kind (teams and people: of its station). */
  rank: number;
  of: number;
  eventCount: number;
}

export interface ReportTeamV1 extends ReportScoreV1 {
  departmentCode: string;
  departmentName: string;
}

export interface ReportPersonV1 extends ReportScoreV1 {
  personId: number;
  name: string;
  stationName: string;
}

export interface ReportOverdueV1 {
  eventId: number;
  title: string;
  category: string;
  state: string;
  departmentName: string | null;
  reportedAt: string;
  /** 受理超期, 办理超期, 黄牌, 红牌 (those that apply). */
  missed: string[];
  /** Hours past the latest limit missed (null: carded only). */
  hoursLate: number | null;
}

export interface ReportRedCardV1 {
  eventId: number;
  title: string;
  category: string;
  state: string;
  departmentName: string | null;
  cardedAt: string;
}

export interface ReportPointsRowV1 {
  rank: number;
  personId: number;
  name: string;
  points: number;
}

export interface ReportStationV1 {
  stationId: number;
  name: string;
  kpis: ReportKpisV1;
  /** null: not scored for this period. */
  score: (ReportScoreV1 & { items: ScoreItemV1[] }) | null;
  teams: ReportTeamV1[];
  /** Every scored person of the station, best first. */
  staff: ReportPersonV1[];
  overdue: { count: number; rows: ReportOverdueV1[] };
  redCards: { count: number; rows: ReportRedCardV1[] };
  coverage: { tally: Tally; ratios: Ratios };
  /** Points earned in the period at the station (clawbacks included, redemptions not); residents are not listed. */
  points: { people: number; residents: number; rows: ReportPointsRowV1[] };
}

export interface ReportV1 {
  v: 1;
  period: string;
  periodKind: 'month' | 'quarter' | 'year';
  /** 2026年11月 … */
  label: string;
  from: string;
  to: string;
  scope: string;
  /** 全区, or the station's name. */
  scopeName: string;
  /** Whether the period's scores are frozen (assessment_periods); otherwise the report is marked 未封账. */
  frozen: boolean;
  frozenAt: string | null;
  generatedAt: string;
  ruleSet: { id: number; year: number; version: number; name: string } | null;
  summary: {
    kpis: ReportKpisV1;
    stations: number;
    scored: number;
    /** Stations by stars: index 0 = no star … 5. A station report counts its own. */
    starCounts: number[];
    averageTotal: number | null;
    overdue: number;
    redCards: number;
    points: number;
  };
  stations: ReportStationV1[];
  ranking: {
    /** District: every scored station; a station's report: its own only. */
    stations: { rank: number; of: number; stationId: number; name: string; total: number; stars: number; adjustment: number }[];
    /** Teams across the scope, best first (rank here is the scope's). */
    teams: (ReportTeamV1 & { stationName: string; scopeRank: number })[];
    staffTop: (ReportPersonV1 & { scopeRank: number })[];
    staffBottom: (ReportPersonV1 & { scopeRank: number })[];
    staffCount: number;
  };
}

/** A stored report (assessment_reports), as listed. */
export interface ReportRecordV1 {
  id: number;
  period: string;
  scope: string;
  scopeName: string;
  frozen: boolean;
  bytes: number;
  sha256: string;
  generatedAt: string;
  generatedBy: string | null;
}

export const STARS_TEXT = (n: number): string => (n > 0 ? '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n)) : '无星');
export const rankText = (rank: number, of: number): string => `第 ${rank} / ${of}`;
