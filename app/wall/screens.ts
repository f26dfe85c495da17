/**
 * The screens of a video wall (issue 13): each physical screen runs its own browser on
 * /wall?screen=…; the server keeps the parameter across the display token's exchange
 * (server/http/server.ts WALL_SCREENS).
 */
export const WALL_SCREENS = ['map', 'cockpit', 'warnings'] as const;
export type WallScreenName = (typeof WALL_SCREENS)[number];

export const WALL_SCREEN_LABEL: Record<WallScreenName, string> = { map: '态势地图', cockpit: '领导驾驶舱', warnings: '预警' };

/** Anything unknown or missing opens the map, today's wall. */
export function screenOf(param: string | string[] | undefined): WallScreenName {
  const value = Array.isArray(param) ? param[0] : param;
  return (WALL_SCREENS as readonly string[]).includes(value ?? '') ? (value as WallScreenName) : 'map';
}
