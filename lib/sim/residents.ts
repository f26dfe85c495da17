import { CITIZEN_KIND_CATEGORIES } from '../categories';
import type { CitizenSubmissionV1 } from '../contracts/citizen';
import { pick } from '../random';
import type { Rand } from './draw';
import { draftIncident, type PlaceModel } from './incident';

/*
 * What a simulated resident sends from /m (issue 14; S9, S14): mostly problems they saw, some
 * policy questions, the odd complaint or suggestion. Never a real person's data: no name, and a
 * phone (when given) from the 1380000xxxx block no one is given.
 */

export type ResidentKind = 'report' | 'question' | 'complaint' | 'suggestion';
/** Cumulative shares: reports 60 %, questions 30 %, complaints 6 %, suggestions 4 %. */
const MIX: readonly [number, ResidentKind][] = [[0.6, 'report'], [0.9, 'question'], [0.96, 'complaint'], [1, 'suggestion']];

const QUESTIONS = [
  '请问城乡居民养老保险今年的缴费档次和截止时间是什么？',
  '八十岁以上老人的高龄补贴怎么申请，需要带哪些材料？',
  '宅基地翻建需要到哪里审批，大概多长时间？',
  '异地就医备案在哪里办理，可以网上办吗？',
  '孩子明年上小学，户口不在本地，入学需要准备什么？',
  '残疾人两项补贴的申请条件是什么？',
  '农村危房改造今年还有补助吗？',
];
const COMPLAINTS = [
  '上周反映的路灯问题到现在还没修好，晚上走路很不安全。',
  '小区门口的垃圾清运不及时，夏天气味很大，希望加强管理。',
  '工作人员答复问题态度比较敷衍，希望改进。',
];
const SUGGESTIONS = [
  '建议在村口增设一处电动车充电桩，方便大家充电。',
  '建议周末开放文化礼堂，给老人和孩子多一个活动场所。',
  '建议在学校门口上下学时段安排志愿者护学。',
];

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ResidentRequest {
  /** Which of the simulated residents (their device id comes from this). */
  resident: number;
  submission: Without<CitizenSubmissionV1, 'deviceId' | 'idempotencyKey' | 'v'>;
}

/** One resident's request: where they are is one of the district's places. */
export function draftResidentRequest(rand: Rand, places: PlaceModel, residents: number): ResidentRequest {
  const resident = Math.floor(rand() * residents);
  const u = rand();
  const kind = MIX.find(([share]) => u < share)?.[1] ?? 'report';
  const phone = rand() < 0.3 ? { phone: `1380000${String(resident % 10_000).padStart(4, '0')}` } : {};
  let draft = draftIncident(rand, places);
  // A resident reports a problem under its category; questions and complaints have their own kinds.
  while (kind === 'report' && CITIZEN_KIND_CATEGORIES.includes(draft.category)) draft = draftIncident(rand, places);
  const location = { lon: draft.lon, lat: draft.lat };
  switch (kind) {
    case 'report':
      return {
        resident,
        submission: {
          kind, category: draft.category, ...(draft.subcategory ? { subcategory: draft.subcategory } : {}),
          description: `${draft.title}，麻烦尽快处理。`, photos: [], location, ...phone,
        },
      };
    case 'question':
      return { resident, submission: { kind, description: pick(rand, QUESTIONS), location, ...phone } };
    default:
      return { resident, submission: { kind, description: pick(rand, kind === 'complaint' ? COMPLAINTS : SUGGESTIONS), location, ...phone } };
  }
}

/** The station's answer to a question, complaint or suggestion (the 'answer' action's note, which the resident reads). */
export function answerFor(kind: string, rand: Rand): string {
  if (kind === 'question')
    return pick(rand, [
      '您好，相关政策及办理材料已整理发至您的查询页面，可携带身份证到工作站便民窗口办理，工作日 8:30–17:00。',
      '您好，该事项可在“浙里办”App 在线申请，也可到镇便民服务中心窗口办理，如有疑问请致电工作站。',
      '您好，经与主管部门核实，符合条件即可申请，工作站网格员将上门协助您准备材料。',
    ]);
  if (kind === 'complaint') return '您好，已收到您的投诉，工作站已督促责任单位限期整改，并将回访您处理结果。';
  return '您好，感谢您的建议，工作站已转交相关部门研究，采纳情况将在村务公开栏公示。';
}
