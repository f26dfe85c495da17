import type { WarningLevel, WarningV1 } from '@/lib/contracts/warnings';
import { HOTSPOT_CLASS_LABEL, WARNING_KIND_LABEL } from '@/lib/contracts/warnings';

/** The four warning colours of Chinese emergency practice (蓝/黄/橙/红), readable on the dark wall and the light console. */
export const LEVEL_RGB: Record<WarningLevel, [number, number, number]> = {
  blue: [61, 139, 255],
  yellow: [255, 210, 63],
  orange: [255, 140, 40],
  red: [255, 59, 78],
};

export const levelCss = (level: WarningLevel): string => `rgb(${LEVEL_RGB[level].join(' ')})`;

/** Dot size on the map: a red warning must be seen from the back of the room. */
export const LEVEL_RADIUS: Record<WarningLevel, number> = { blue: 9, yellow: 11, orange: 13, red: 15 };

/** "高频事件" or "新兴热点 · 加剧热点". */
export function kindLabel(w: WarningV1): string {
  return w.hotspotClass ? `${WARNING_KIND_LABEL[w.kind]} · ${HOTSPOT_CLASS_LABEL[w.hotspotClass]}` : WARNING_KIND_LABEL[w.kind];
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** Command-room time (Asia/Shanghai) whatever the machine's zone. */
export function shanghaiTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? timeFormat.format(t) : '—';
}

/** Names of the figures the engine reports (lib/contracts/warnings.ts numbers); an unknown one shows its key. */
const NUMBER_LABEL: Record<string, string> = {
  count: '近期数量', baseline: '基线数量', baselineWeeks: '基线周数', perWeek: '基线周均', expected: '期望数量', ratio: '倍数',
  days: '近期天数', p: '显著性 p', q: 'FDR q', z: 'z 值', score: '风险分值', hotDays: '热点天数', trendZ: '趋势 z',
};

/** One figure as a person reads it: its Chinese name, and at most four significant digits. */
export function numberLine(key: string, value: number | string): [string, string] {
  const shown = typeof value === 'number' && !Number.isInteger(value) ? (Math.abs(value) < 1e-4 ? value.toExponential(1) : String(Number(value.toPrecision(4)))) : String(value);
  return [NUMBER_LABEL[key] ?? key, shown];
}
