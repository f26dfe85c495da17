import type { IncidentSeverity } from '../contracts/live';
import { INCIDENT_SEVERITIES } from '../contracts/live';
import { CATEGORIES, type CategorySeed } from '../categories';
import { weightedPicker, type Rand } from './draw';
import type { LonLat } from './geometry';
import { titleFor } from './titles';

/** What the simulator reports; the server adds the source, times and placement. */
export interface IncidentDraft {
  category: string;
  subcategory?: string;
  title: string;
  severity: IncidentSeverity;
  lon: number;
  lat: number;
}

/** Somewhere incidents happen: its name for titles and the points to put them at. */
export interface PlacePool {
  name: string;
  points: readonly LonLat[];
  weight: number;
}

export interface PlaceModel {
  pick(rand: Rand): { name: string; at: LonLat };
}

export const pickCategory = weightedPicker(CATEGORIES, (c) => c.share);

export function drawCategory(rand: Rand): { category: CategorySeed; sub: CategorySeed['subcategories'][number] | undefined } {
  const category = pickCategory(rand);
  const subs = category.subcategories;
  return { category, sub: subs.length ? subs[Math.floor(rand() * subs.length)] : undefined };
}

/** The category's default, now and then one step worse (a fight, a fire spreading), rarely two. */
export function escalate(base: IncidentSeverity, rand: Rand): IncidentSeverity {
  const u = rand();
  const steps = u < 0.02 ? 2 : u < 0.1 ? 1 : 0;
  const i = Math.min(INCIDENT_SEVERITIES.length - 1, INCIDENT_SEVERITIES.indexOf(base) + steps);
  return INCIDENT_SEVERITIES[i];
}

/**
 * Hotspots take their fixed shares; everything else falls in a grid in proportion to its
 * population. Pools without points are left out.
 */
export function placeModel(grids: readonly PlacePool[], hotspots: readonly (PlacePool & { share: number })[]): PlaceModel {
  const spots = hotspots.filter((h) => h.points.length > 0);
  const hotShare = Math.min(0.9, spots.reduce((s, h) => s + h.share, 0));
  const pickGrid = weightedPicker(grids.filter((g) => g.points.length > 0), (g) => g.weight);
  const pickSpot = spots.length ? weightedPicker(spots, (h) => h.share) : null;
  return {
    pick(rand) {
      const pool = pickSpot && rand() < hotShare ? pickSpot(rand) : pickGrid(rand);
      return { name: pool.name, at: pool.points[Math.floor(rand() * pool.points.length)] };
    },
  };
}

export function draftIncident(rand: Rand, places: PlaceModel): IncidentDraft {
  const { category, sub } = drawCategory(rand);
  const place = places.pick(rand);
  return {
    category: category.code,
    subcategory: sub && `${category.code}.${sub.code}`,
    title: titleFor(category, sub, place.name, rand),
    severity: escalate(category.severity, rand),
    lon: place.at[0],
    lat: place.at[1],
  };
}
