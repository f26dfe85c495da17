import { distanceM } from '../geo/distance';

/** Ordered nearest first from where the phone is (issue 12: 本月待访, nearest first); ties by name for a stable list. */
export function nearestFirst<T extends { lon: number; lat: number; name: string }>(items: readonly T[], from: { lon: number; lat: number } | null): (T & { distanceM: number | null })[] {
  const withDistance = items.map((it) => ({ ...it, distanceM: from ? Math.round(distanceM(from.lon, from.lat, it.lon, it.lat)) : null }));
  return withDistance.sort((a, b) => (a.distanceM ?? 0) - (b.distanceM ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
}
