import type { PulledFigureV1, ReviewItemInputV1, ReviewItemV1, ReviewSection } from '../contracts/reviews';

/*
 * The yearly review's checklist as data (issue 15 point 3). S14 (改进): 属地党委政府应开展对工作站
 * 建成情况、功能区配备情况、工作制度实施情况、派驻工作人员情况、工作实际成效等进行考核. Five sections of
 * 20 points, 100 in all; each item names what is checked (with the clause behind it) and the
 * figures the system pulls for it when the review is opened (server/reviews/figures.ts). A review
 * keeps the words and full marks it was opened with, so a later edit of this file leaves old ones as they were.
 */

/** The figures the system can pull for a station and year; server/reviews/figures.ts measures each. */
/** A refusal's field and message, as the router answers it (server/errors.ts Issue). */
export interface Issue {
  path: string;
  message: string;
}

export const FIGURES = {
  station_units: { label: '“三站”建成数（全科网格管理站、矛调微中心、警务联勤站）', unit: '个' },
  events_counted: { label: '年度录入四平台事件数（不含退回、合并）', unit: '件' },
  mediation_studios: { label: '在用调解工作室', unit: '个' },
  mediators: { label: '在册调解员', unit: '人' },
  consult_weekly: { label: '年度召开周会商', unit: '次' },
  consult_monthly: { label: '年度召开月度集中会商', unit: '次' },
  consult_emergency: { label: '年度临时（突发）会商', unit: '次' },
  inspections_weekly: { label: '年度常驻部门牵头联合检查', unit: '次' },
  inspections_monthly: { label: '年度工作站组织入驻部门联合检查', unit: '次' },
  chiefs: { label: '站长', unit: '人' },
  deputies: { label: '常务副站长', unit: '人' },
  depts_resident: { label: '常驻部门', unit: '个' },
  depts_rotating: { label: '轮驻部门', unit: '个' },
  depts_on_call: { label: '联驻部门', unit: '个' },
  resident_missing: { label: 'S5 应常驻而未常驻的部门（公安、综合执法、市场监管）', unit: '个' },
  dept_staff: { label: '派驻部门工作人员', unit: '人' },
  roster_days: { label: '年度有部门排班的天数', unit: '天' },
  grids: { label: '网格数', unit: '个' },
  gridders_full: { label: '专职网格员', unit: '人' },
  gridders_per_grid: { label: '每网格专职网格员（平均）', unit: '人' },
  grids_without_full: { label: '无专职网格员的网格', unit: '个' },
  on_time: { label: '按期办结率（年度）', unit: 'ratio' },
  satisfaction: { label: '群众满意率（年度）', unit: 'ratio' },
  mediation_success: { label: '调解成功率（年度）', unit: 'ratio' },
} as const satisfies Record<string, { label: string; unit: string }>;
export type FigureCode = keyof typeof FIGURES;
export const FIGURE_CODES = Object.keys(FIGURES) as FigureCode[];

export interface ChecklistItem {
  code: string;
  section: ReviewSection;
  name: string;
  requirement: string;
  full: number;
  figures: readonly FigureCode[];
}

export const CHECKLIST = [
  // 建成情况 (20)
  { code: 'built.units', section: 'built', name: '“三站”建成', full: 8, figures: ['station_units'],
    requirement: '全科网格管理站、矛调微中心、警务联勤站均已建成并挂牌运行（S2–S5）。' },
  { code: 'built.site', section: 'built', name: '场所与标识', full: 6, figures: [],
    requirement: '有固定办公场所，统一标识、站名牌、公示栏（人员、职责、制度上墙），照片为证。' },
  { code: 'built.platform', section: 'built', name: '接入基层治理四平台', full: 6, figures: ['events_counted'],
    requirement: '排查发现的问题统一录入四平台系统分流转办，事件在站内流转（S1、S9、S12）。' },
  // 功能区配备 (20)
  { code: 'facilities.office', section: 'facilities', name: '部门办公区', full: 7, figures: ['depts_resident', 'depts_rotating'],
    requirement: '警务联勤站设置部门办公区，入驻部门有固定工位（S5）。' },
  { code: 'facilities.mediation', section: 'facilities', name: '调解工作室', full: 7, figures: ['mediation_studios', 'mediators'],
    requirement: '矛调微中心有调解工作室（可为品牌调解工作室），人民调解员在册（S4）。' },
  { code: 'facilities.command', section: 'facilities', name: '指挥会商区', full: 6, figures: [],
    requirement: '有指挥调度和联勤会商场所、设备（指挥屏、会商室），照片为证（S7、S11）。' },
  // 工作制度实施 (20)
  { code: 'rules.consult_weekly', section: 'rules', name: '每周联勤会商', full: 5, figures: ['consult_weekly', 'consult_emergency'],
    requirement: '每周由常务副站长牵头，常驻部门人员和专职网格员参加会商；突发情况临时会商（S11）。' },
  { code: 'rules.consult_monthly', section: 'rules', name: '每月集中会商', full: 5, figures: ['consult_monthly'],
    requirement: '每月由站长牵头，所有入驻部门、所辖村（社区）负责人、专职网格员参加，邀请社会力量代表（S11）。' },
  { code: 'rules.inspections', section: 'rules', name: '联合检查', full: 6, figures: ['inspections_weekly', 'inspections_monthly'],
    requirement: '常驻部门每周带领网格员、村社干部至少联合检查一次；工作站每月组织入驻部门联合检查；重点时段加密（S10）。' },
  { code: 'rules.task_lists', section: 'rules', name: '任务清单与联动事项清单', full: 4, figures: [],
    requirement: '制定条线工作任务清单和需要联动联勤处置事项清单，开展“综合查一次”（S8），材料为证。' },
  // 派驻人员 (20)
  { code: 'staffing.leaders', section: 'staffing', name: '站长、常务副站长', full: 4, figures: ['chiefs', 'deputies'],
    requirement: '站长由联系片区的乡镇（街道）班子领导担任，常务副站长由综治或公安骨干担任（S7）。' },
  { code: 'staffing.departments', section: 'staffing', name: '部门入驻', full: 8, figures: ['depts_resident', 'resident_missing', 'dept_staff', 'roster_days'],
    requirement: '公安、综合执法、市场监管常驻，司法等部门轮驻，其余联驻；派驻人员按排班在岗（S5、S6）。' },
  { code: 'staffing.grid', section: 'staffing', name: '网格人员配备', full: 8, figures: ['grids', 'gridders_full', 'gridders_per_grid', 'grids_without_full'],
    requirement: '每个网格配备专职网格员，网格长、网格指导员、兼职网格员、网格警员分工明确（S3、S6）。' },
  // 实际成效 (20)
  { code: 'results.on_time', section: 'results', name: '按期办结', full: 7, figures: ['on_time'],
    requirement: '一般问题限期办理，疑难问题统筹处置，按期办结（S12）；数据取自驾驶舱年度指标。' },
  { code: 'results.satisfaction', section: 'results', name: '群众满意', full: 7, figures: ['satisfaction'],
    requirement: '群众对处置结果满意，意见和投诉及时处置回复（S14）；数据取自驾驶舱年度指标。' },
  { code: 'results.mediation', section: 'results', name: '矛盾纠纷化解', full: 6, figures: ['mediation_success'],
    requirement: '矛盾纠纷有效化解，未因推诿拖延引发越级信访、群体性事件（S4、S13）。' },
] as const satisfies readonly ChecklistItem[];

export const CHECKLIST_TOTAL = CHECKLIST.reduce((s, i) => s + i.full, 0);

/** The review's items as first opened: the checklist's words, the figures pulled now, no evidence, no scores. */
export function freshItems(figures: ReadonlyMap<string, PulledFigureV1>, pulledAt: string): ReviewItemV1[] {
  return CHECKLIST.map((c) => ({
    code: c.code, section: c.section, name: c.name, requirement: c.requirement, full: c.full,
    figures: figuresOf(c.code, figures), pulledAt, photos: [], documents: [], score: null, finding: '',
  }));
}

function figuresOf(code: string, figures: ReadonlyMap<string, PulledFigureV1>): PulledFigureV1[] {
  const item: ChecklistItem | undefined = (CHECKLIST as readonly ChecklistItem[]).find((c) => c.code === code);
  return (item?.figures ?? []).map((f) => figures.get(f)).filter((f): f is PulledFigureV1 => f !== undefined);
}

/** The same items with their figures pulled again (evidence, scores and findings kept). */
export function withFigures(items: readonly ReviewItemV1[], figures: ReadonlyMap<string, PulledFigureV1>, pulledAt: string): ReviewItemV1[] {
  return items.map((i) => ({ ...i, figures: figuresOf(i.code, figures), pulledAt }));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * A draft's items with the changes applied; issues name the field (`body.items.<n>.code`, `.score`)
 * of an item not in the review or a score above the item's full marks.
 */
export function applyInputs(items: readonly ReviewItemV1[], inputs: readonly ReviewItemInputV1[]): { items: ReviewItemV1[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const next = items.map((i) => ({ ...i }));
  inputs.forEach((input, n) => {
    const item = next.find((i) => i.code === input.code);
    if (!item) {
      issues.push({ path: `body.items.${n}.code`, message: `验收清单中没有“${input.code}”` });
      return;
    }
    if (input.score !== undefined && input.score !== null && input.score > item.full) {
      issues.push({ path: `body.items.${n}.score`, message: `不能超过该项满分 ${item.full}` });
      return;
    }
    if (input.score !== undefined) item.score = input.score === null ? null : round2(input.score);
    if (input.finding !== undefined) item.finding = input.finding;
    if (input.photos !== undefined) item.photos = [...new Set(input.photos)];
    if (input.documents !== undefined) item.documents = input.documents.map((d) => ({ title: d.title, note: d.note ?? '' }));
  });
  return { items: next, issues };
}

/** What keeps a draft from being scored: an item without a score, or below full marks without a finding. */
export function scoringIssues(items: readonly ReviewItemV1[]): Issue[] {
  const issues: Issue[] = [];
  items.forEach((i, n) => {
    if (i.score === null) issues.push({ path: `items.${n}.score`, message: `“${i.name}”尚未评分` });
    else if (i.score < i.full && i.finding.trim() === '') issues.push({ path: `items.${n}.finding`, message: `“${i.name}”未得满分，须写明存在问题` });
  });
  return issues;
}

/** The review's score and full marks (hundredths). */
export function totalOf(items: readonly ReviewItemV1[]): { score: number; max: number } {
  return {
    score: round2(items.reduce((s, i) => s + (i.score ?? 0), 0)),
    max: round2(items.reduce((s, i) => s + i.full, 0)),
  };
}

/** Why an item may not get a follow-up task (null: it may): it must be scored below full marks with a finding. */
export function taskRefusal(item: ReviewItemV1 | undefined): string | null {
  if (!item) return '验收清单中没有此项';
  if (item.score === null || item.score >= item.full) return '只有评分低于满分的项目才能下发整改任务';
  if (item.finding.trim() === '') return '请先写明该项存在的问题';
  return null;
}

/** Sections in order with their items and subtotals, for the console and the printed sheet. */
export function bySection(items: readonly ReviewItemV1[]): { section: ReviewSection; items: ReviewItemV1[]; score: number | null; full: number }[] {
  const order: ReviewSection[] = ['built', 'facilities', 'rules', 'staffing', 'results'];
  return order.map((section) => {
    const own = items.filter((i) => i.section === section);
    const scored = own.every((i) => i.score !== null);
    return { section, items: own, score: scored ? round2(own.reduce((s, i) => s + (i.score ?? 0), 0)) : null, full: round2(own.reduce((s, i) => s + i.full, 0)) };
  });
}
