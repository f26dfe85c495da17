import type { HeatWindow } from '@/app/live/schemas';

/** Which live layers the wall draws. */
export interface Overlays {
  units: boolean;
  trails: boolean;
  incidents: boolean;
  heat: boolean;
  /** This month's coverage per grid (issue 12, S10). */
  coverage: boolean;
  /** Active early warnings (issue 13, S9 item 4). */
  warnings: boolean;
  heatWindow: HeatWindow;
}

export const DEFAULT_OVERLAYS: Overlays = { units: true, trails: true, incidents: true, heat: false, coverage: false, warnings: true, heatWindow: '24h' };

export const HEAT_WINDOW_LABEL: Record<HeatWindow, string> = { '24h': '24小时', '7d': '7天', '30d': '30天' };

/** What a click on the map opened a card for. */
export type Selection =
  | { type: 'station'; code: string }
  | { type: 'unit'; id: number }
  | { type: 'incident'; id: number };
