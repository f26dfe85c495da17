import type { SubjectKind } from '../contracts/scores';
import { INDICATORS, type IndicatorCode } from './indicators';

/**
 * Which indicator is measured of which subject (issue 15 point 2; S13 assesses stations and their
 * staff, S14 star stations and star staff). One table, read by the scoring SQL
 * (server/assessment/figures.ts), the one-subject baseline (naive.ts), the README (## 考评得分) and
 * the console. Where an indicator does not apply its figure is null (no data): a score item then
 * earns its full weight and a deduction takes nothing (lib/assessment/rules.ts itemPoints).
 *
 * - station: everything.
 * - team (a station's department, events.department_code): what is measured over the events routed
 *   to it — acceptance, handling, verification, cards, ratings, complaints about them, their flags —
 *   and the accountability records naming the department. Consultations, inspections, coverage,
 *   mediation and the yearly review are the station's business (S10, S11, S4, S14).
 * - person: what is measured over the events they handled (the last 处置 step in event_log was
 *   theirs), and the records naming them. Acceptance is the leaders' step (S7), before a handler has
 *   the event: not a handler's figure.
 */
export const APPLIES: Record<IndicatorCode, Record<SubjectKind, boolean>> = {
  on_time_accept: { station: true, team: true, person: false },
  on_time: { station: true, team: true, person: true },
  verify_pass: { station: true, team: true, person: true },
  red_cards: { station: true, team: true, person: true },
  yellow_cards: { station: true, team: true, person: true },
  consultations: { station: true, team: false, person: false },
  inspections: { station: true, team: false, person: false },
  coverage: { station: true, team: false, person: false },
  satisfaction: { station: true, team: true, person: true },
  complaints: { station: true, team: true, person: true },
  mediation: { station: true, team: false, person: false },
  petitions_skip: { station: true, team: true, person: true },
  group_incidents: { station: true, team: true, person: true },
  review: { station: true, team: false, person: false },
  accountability: { station: true, team: true, person: true },
};

export const applies = (code: IndicatorCode, kind: SubjectKind): boolean => APPLIES[code][kind];

/** How each subject's events are found, for the README and the console. */
export const SUBJECT_EVENTS: Record<SubjectKind, string> = {
  station: '本站的事件（events.station_id）',
  team: '本站交办给该部门的事件（events.department_code）；投诉按其所投诉的事件归属',
  person: '最后一次“处置”（event_log 的 handle）由本人账号完成的事件；投诉按其所投诉的事件归属',
};

/** The README table (## 考评得分). */
export function applicabilityMarkdownTable(): string {
  const mark = (b: boolean) => (b ? '✓' : '—');
  const rows = INDICATORS.map((i) => `| \`${i.code}\` | ${i.name} | ${mark(APPLIES[i.code].station)} | ${mark(APPLIES[i.code].team)} | ${mark(APPLIES[i.code].person)} |`);
  return ['| 指标 | 名称 | 联动站 | 部门 | 人员 |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
