import { DISPUTE_KIND_LABEL, type DisputeKind } from '../contracts/citizen';
import { pick } from '../random';
import { logNormal, uniform, type Rand } from './draw';

/*
 * The demo's past mediation cases (issue 14 point 5; S4, S8): some of the past disputes went to the
 * station's mediation studio, and residents walked in with others; most were closed within weeks,
 * about four in five with an agreement, a few not reached or referred, the newest still open. So the
 * cockpit's 调解成功率 and 调解用时 have months of cases behind them on the first start.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** 人民调解法: a case is normally ended within 30 days (migration 020's default limit). */
export const CASE_LIMIT_DAYS = 30;
/** Of the past disputes, the share the station opened a mediation case for. */
export const CASE_SHARE = 0.08;

export type PastOutcome = 'success' | 'failed' | 'referred';

export interface PastCase {
  /** The past incident it was opened from (its index); null for a walk-in at the studio. */
  incident: number | null;
  /** A walk-in's station (its index in the list given); null when opened from an incident. */
  station: number | null;
  disputeKind: DisputeKind;
  parties: { name: string; side: 'applicant' | 'respondent' }[];
  summary: string;
  openedAt: number;
  dueAt: number;
  /** Null: still open. */
  closedAt: number | null;
  outcome: PastOutcome | null;
  referredTo: string | null;
  terms: string | null;
  /** Which of the station's mediators took it, as a fraction of their list. */
  mediator: number;
  /** The follow-up visit a month after closing, once that month has passed. */
  followupAt: number | null;
}

const KINDS = Object.keys(DISPUTE_KIND_LABEL) as DisputeKind[];
const SURNAMES = '沈钱姚陆费闵潘吴王张朱徐施李陈杨周孙金蒋俞顾严邱胡许凌褚'.split('');
const REFERRED = ['区人民法院', '区劳动人事争议仲裁委员会', '区住房和城乡建设局', '镇自然资源所'];
const TERMS: Record<DisputeKind, string[]> = {
  family: ['双方同意和好，男方承担子女抚养费每月一千五百元', '双方自愿离婚，共同财产各半分割，子女随母亲生活'],
  neighbour: ['一方于七日内拆除越界搭建的雨棚，另一方不再追究', '双方约定排水沟由两家共同清理，费用各半'],
  homestead: ['按 2009 年确权图重新放样，界桩由村委会监督埋设', '一方补偿另一方宅基地占用款两万元，十日内付清'],
  compensation: ['责任方一次性赔偿医疗费、误工费共计八千六百元', '责任方赔偿车辆维修费三千二百元，当场付清'],
  labour: ['用工方于十五日内结清拖欠工资两万三千元', '双方解除劳务关系，用工方支付经济补偿六千元'],
  property: ['物业公司十日内修复漏水管道，减免业主三个月物业费', '业主补缴物业费，物业公司公开维修基金使用明细'],
  land: ['土地流转合同续签三年，租金按每亩一千二百元执行', '承包地界以村集体测绘为准，互不侵占'],
};

function party(rand: Rand): string {
  return `${pick(rand, SURNAMES)}某${rand() < 0.4 ? '某' : ''}`;
}

/** One case opened at `openedAt`: its course up to `now`. */
function course(rand: Rand, kind: DisputeKind, openedAt: number, now: number): Omit<PastCase, 'incident' | 'station'> {
  const applicant = party(rand);
  const respondent = party(rand);
  const took = Math.min(logNormal(rand, 7 * DAY, 0.7), 45 * DAY);
  const closedAt = openedAt + took < now ? Math.floor(openedAt + took) : null;
  const u = rand();
  const outcome: PastOutcome | null = closedAt === null ? null : u < 0.8 ? 'success' : u < 0.93 ? 'failed' : 'referred';
  const followupDue = closedAt === null ? null : closedAt + 30 * DAY;
  return {
    disputeKind: kind,
    parties: [{ name: applicant, side: 'applicant' }, { name: respondent, side: 'respondent' }],
    summary: `${applicant}与${respondent}${DISPUTE_KIND_LABEL[kind]}，申请人民调解`,
    openedAt,
    dueAt: openedAt + CASE_LIMIT_DAYS * DAY,
    closedAt,
    outcome,
    referredTo: outcome === 'referred' ? pick(rand, REFERRED) : null,
    terms: outcome === 'success' ? pick(rand, TERMS[kind]) : null,
    mediator: rand(),
    followupAt: followupDue !== null && followupDue + 3 * DAY < now ? Math.floor(followupDue + uniform(rand, 0, 3) * DAY) : null,
  };
}

const kindOf = (subcategory: string | undefined, rand: Rand): DisputeKind => {
  const k = subcategory?.replace(/^dispute\./, '');
  return (KINDS as string[]).includes(k ?? '') ? (k as DisputeKind) : pick(rand, KINDS);
};

/** Cases opened from a share of the past disputes, a few hours to two days after the report. */
export function casesOfIncidents(
  incidents: readonly { category: string; subcategory?: string; reportedAt: number }[],
  now: number,
  rand: Rand,
): PastCase[] {
  const out: PastCase[] = [];
  incidents.forEach((e, i) => {
    if (e.category !== 'dispute' || rand() >= CASE_SHARE) return;
    const openedAt = Math.floor(e.reportedAt + uniform(rand, 2 * HOUR, 48 * HOUR));
    if (openedAt >= now) return;
    out.push({ incident: i, station: null, ...course(rand, kindOf(e.subcategory, rand), openedAt, now) });
  });
  return out;
}

/** Residents who came to a studio in person between `from` and `to`: about `perDay` a day per station. */
export function walkInCases(from: number, to: number, stations: number, perDay: number, now: number, rand: Rand): PastCase[] {
  const out: PastCase[] = [];
  if (perDay <= 0) return out;
  for (let s = 0; s < stations; s++)
    for (let t = from + (-Math.log(1 - rand()) / perDay) * DAY; t < to; t += (-Math.log(1 - rand()) / perDay) * DAY)
      out.push({ incident: null, station: s, ...course(rand, pick(rand, KINDS), Math.floor(t), now) });
  return out;
}
