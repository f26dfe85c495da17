import type { CategorySeed } from '../categories';
import type { Rand } from './draw';

/** What is typically reported under a category without sub-categories, as a title would say it. */
const PHRASES: Record<string, readonly string[]> = {
  public_order: ['治安警情', '可疑人员出没', '盗窃报警', '聚众滋事', '电动车被盗'],
  environment: ['垃圾乱堆乱放', '河道漂浮物', '污水直排', '秸秆焚烧', '噪声扰民'],
  market: ['无证经营', '食品安全投诉', '价格欺诈投诉', '过期食品销售'],
  city: ['占道经营', '违章搭建', '车辆乱停放', '广告牌破损'],
  livelihood: ['路灯损坏', '停水报修', '道路坑洼', '低保申请求助'],
  policy: ['社保政策咨询', '养老补贴咨询', '宅基地审批咨询', '医保政策咨询'],
  other: ['其他事项'],
};

/** 荻港村邻里纠纷, 练市镇集镇中心消防安全隐患, 百间楼社区占道经营. */
export function titleFor(category: CategorySeed, sub: { label: string } | undefined, place: string, rand: Rand): string {
  let what: string;
  if (sub && category.code === 'dispute') what = sub.label.endsWith('纠纷') ? sub.label : `${sub.label.replace('/', '、')}纠纷`;
  else if (sub && category.code === 'hazard') what = sub.label.endsWith('安全') ? `${sub.label}隐患` : `${sub.label}安全隐患`;
  else if (sub) what = sub.label;
  else {
    const phrases = PHRASES[category.code];
    what = phrases ? phrases[Math.floor(rand() * phrases.length)] : category.label;
  }
  return `${place}${what}`;
}
