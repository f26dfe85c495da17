/**
 * Places that draw more than their share of incidents, year in year out: a tourist old town on
 * the water, a market town centre, a riverside village, an industrial area. Each is a circle
 * around a village named by town and village (illustrative: the demo geography is partitioned).
 */
export interface Hotspot {
  label: string;
  town: string;
  village: string;
  radiusM: number;
  /** Share of all incidents that happen here. */
  share: number;
}

export const HOTSPOTS: readonly Hotspot[] = [
  { label: '南浔古镇百间楼', town: '南浔镇', village: '百间楼社区', radiusM: 300, share: 0.05 },
  { label: '练市镇集镇中心', town: '练市镇', village: '练溪社区', radiusM: 400, share: 0.04 },
  { label: '荻港村沿河', town: '和孚镇', village: '荻港村', radiusM: 350, share: 0.03 },
  { label: '东迁工业园区', town: '东迁街道', village: '镇北社区', radiusM: 600, share: 0.04 },
];
