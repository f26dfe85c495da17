import { z } from 'zod';
import { IdempotencyKey, PhotoId } from './events';

/*
 * The town's yearly review of a station (issue 15 point 3; S14: 建成情况, 功能区配备, 工作制度实施,
 * 派驻人员, 实际成效): a checklist per station and year, each item with its evidence (photos,
 * documents, figures pulled from the system), scored by the district; what it finds lacking becomes
 * a follow-up task (整改) with a deadline. One contract for the routes, the console, the scoring job
 * (the `review` indicator reads score ÷ max_score) and the tests (migration 024).
 */

export const REVIEW_SECTIONS = [
  { code: 'built', name: '建成情况' },
  { code: 'facilities', name: '功能区配备' },
  { code: 'rules', name: '工作制度实施' },
  { code: 'staffing', name: '派驻人员' },
  { code: 'results', name: '实际成效' },
] as const;
export type ReviewSection = (typeof REVIEW_SECTIONS)[number]['code'];

export const REVIEW_STATE_LABEL = { draft: '评定中', scored: '已评定' } as const;
export type ReviewState = keyof typeof REVIEW_STATE_LABEL;

/** A figure pulled from the system when the review was opened (or its figures pulled again). */
export interface PulledFigureV1 {
  code: string;
  label: string;
  /** null: nothing to measure (a ratio with an empty denominator). */
  value: number | null;
  /** 'ratio' (0–1, shown as a percentage) or a counting word: 个, 人, 次, 件. */
  unit: string;
  num?: number;
  den?: number;
  /** Names behind the number (the departments stationed, say). */
  detail?: string;
}

export interface ReviewDocumentV1 {
  title: string;
  note: string;
}

/** One checklist item as stored in station_reviews.items: the checklist's words at opening, evidence, score. */
export interface ReviewItemV1 {
  code: string;
  section: ReviewSection;
  name: string;
  /** 考核要点: what the district checks, with the clause of the standard. */
  requirement: string;
  full: number;
  figures: PulledFigureV1[];
  /** When its figures were pulled from the system (ISO instant). */
  pulledAt: string;
  photos: string[];
  documents: ReviewDocumentV1[];
  /** 0..full in hundredths; null until scored. */
  score: number | null;
  /** What was found lacking (required when the score is below full marks). */
  finding: string;
}

export const TASK_STATE_LABEL = { open: '整改中', done: '已整改' } as const;

export interface ReviewTaskV1 {
  id: number;
  reviewId: number;
  stationId: number;
  stationName: string;
  year: number;
  itemCode: string;
  itemName: string;
  title: string;
  dueOn: string;
  state: 'open' | 'done';
  /** Open and its deadline (Asia/Shanghai day) has passed. */
  overdue: boolean;
  doneNote: string | null;
  doneAt: string | null;
  doneName: string | null;
  createdAt: string;
}

export interface ReviewSummaryV1 {
  id: number;
  stationId: number;
  stationName: string;
  year: number;
  state: ReviewState;
  score: number | null;
  maxScore: number | null;
  scoredName: string | null;
  scoredAt: string | null;
  openTasks: number;
  overdueTasks: number;
  updatedAt: string;
}

export interface ReviewV1 extends ReviewSummaryV1 {
  items: ReviewItemV1[];
  tasks: ReviewTaskV1[];
  /** When the figures were last pulled from the system. */
  figuresAt: string | null;
  createdAt: string;
}

const Text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `最多 ${max} 字`);
const Year = z.coerce.number({ error: '须为年度' }).int('须为年度').min(2000, '年度须在 2000–2100 之间').max(2100, '年度须在 2000–2100 之间');
const StationId = z.coerce.number({ error: '须为工作站编号' }).int('须为工作站编号').positive('须为工作站编号');
export const Day = z.string({ error: '须为日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '须为日期，如 2027-03-31')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不是有效日期');

/** Scores are kept in hundredths (numeric(6,2)). */
const hundredths = (x: number) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;
export const ItemScore = z.number({ error: '须为分数' }).min(0, '不能小于 0').max(100, '不能大于 100').refine(hundredths, '最多两位小数');

/** POST /api/v1/reviews: opens the station's review of the year (or answers the one already open). */
export const ReviewOpenV1 = z.object({ stationId: StationId, year: Year }).strict();
export type ReviewOpenV1 = z.infer<typeof ReviewOpenV1>;

export const ReviewDocumentInput = z.object({
  title: Text(100, '请填写材料名称'),
  note: z.string().trim().max(500, '最多 500 字').default(''),
}).strict();

/** One item's changes: only what is given changes (score null clears it). */
export const ReviewItemInputV1 = z.object({
  code: z.string({ error: '须为验收项代码' }).min(1, '须为验收项代码').max(40),
  score: ItemScore.nullable().optional(),
  finding: z.string().trim().max(1000, '最多 1000 字').optional(),
  photos: z.array(PhotoId).max(12, '每项最多 12 张照片').optional(),
  documents: z.array(ReviewDocumentInput).max(20, '每项最多 20 份材料').optional(),
}).strict();
export type ReviewItemInputV1 = z.infer<typeof ReviewItemInputV1>;

/** PUT /api/v1/reviews/:id: the draft's evidence, scores and findings. */
export const ReviewSaveV1 = z.object({
  requestKey: IdempotencyKey,
  items: z.array(ReviewItemInputV1).min(1, '请至少提交一项').max(50),
}).strict().superRefine((v, ctx) => {
  const seen = new Set<string>();
  v.items.forEach((item, i) => {
    if (seen.has(item.code)) ctx.addIssue({ code: 'custom', path: ['items', i, 'code'], message: '同一验收项只能提交一次' });
    seen.add(item.code);
  });
});
export type ReviewSaveV1 = z.infer<typeof ReviewSaveV1>;

/** POST /api/v1/reviews/:id/score and /figures: a click, retried by its key. */
export const ReviewActV1 = z.object({ requestKey: IdempotencyKey }).strict();

/** POST /api/v1/reviews/:id/tasks: a follow-up task for an item scored below full marks with a finding. */
export const ReviewTaskInputV1 = z.object({
  itemCode: z.string({ error: '须为验收项代码' }).min(1, '须为验收项代码').max(40),
  title: Text(300, '请填写整改要求'),
  dueOn: Day,
}).strict();
export type ReviewTaskInputV1 = z.infer<typeof ReviewTaskInputV1>;

/** POST /api/v1/review-tasks/:id/done: by the station's leaders, with what was done. */
export const ReviewTaskDoneV1 = z.object({
  requestKey: IdempotencyKey,
  note: Text(1000, '请填写整改情况'),
}).strict();
export type ReviewTaskDoneV1 = z.infer<typeof ReviewTaskDoneV1>;

export const ReviewListQuery = z.object({
  year: Year.optional(),
  stationId: StationId.optional(),
}).strict();
export type ReviewListQuery = z.infer<typeof ReviewListQuery>;

export const TASK_FILTERS = ['open', 'overdue', 'done', 'all'] as const;
export const ReviewTaskListQuery = z.object({
  state: z.enum(TASK_FILTERS, { error: '须为 open、overdue、done 或 all' }).default('open'),
  stationId: StationId.optional(),
}).strict();
export type ReviewTaskListQuery = z.infer<typeof ReviewTaskListQuery>;
