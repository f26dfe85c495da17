/**
 * S10's four figures of full coverage (全覆盖: 人口清、场所清、隐患清、动态清), counted per grid and
 * summed up to village, station and district. Ratios are taken of the sums, never averaged.
 */

/** What one grid did in one month; every other level is a sum of these. */
export interface Tally {
  /** 场所清: key places owed a visit this month, and how many had at least one. */
  placesOwed: number;
  placesVisited: number;
  /** 人口清: visits owed to key persons (each owes its visits_per_month), and how many of them were made (at most that many per person). */
  personVisitsOwed: number;
  personVisitsMade: number;
  /** Key persons, and how many had all their visits. */
  persons: number;
  personsDone: number;
  /** 动态清: time on duty inside the grid, against the station's minimum × its gridders. */
  patrolSeconds: number;
  patrolRequiredSeconds: number;
  patrolMetres: number;
  /** 隐患清: hazards grid staff reported this month, and how many of them are done. */
  hazards: number;
  hazardsDone: number;
}

export const FIGURES = ['places', 'persons', 'patrol', 'hazards'] as const;
export type Figure = (typeof FIGURES)[number];

export const FIGURE_LABEL: Record<Figure, string> = {
  places: '场所清',
  persons: '人口清',
  patrol: '动态清',
  hazards: '隐患清',
};

export const FIGURE_HINT: Record<Figure, string> = {
  places: '本月已走访的重点场所 / 应走访',
  persons: '本月对重点人员的走访次数 / 应走访次数',
  patrol: '在岗巡查时长 / 站定最低时长 × 网格员数',
  hazards: '网格人员本月发现的隐患中已办结的比例',
};

export const EMPTY_TALLY: Tally = {
  placesOwed: 0, placesVisited: 0, personVisitsOwed: 0, personVisitsMade: 0, persons: 0, personsDone: 0,
  patrolSeconds: 0, patrolRequiredSeconds: 0, patrolMetres: 0, hazards: 0, hazardsDone: 0,
};

export function addTally(a: Tally, b: Tally): Tally {
  const out = { ...a };
  for (const k of Object.keys(EMPTY_TALLY) as (keyof Tally)[]) out[k] = a[k] + b[k];
  return out;
}

/** null: nothing was owed (or no hazard found), so the figure says nothing either way. */
export type Ratios = Record<Figure, number | null>;

const ratio = (done: number, owed: number): number | null => (owed > 0 ? Math.min(1, done / owed) : null);

export function ratios(t: Tally): Ratios {
  return {
    places: ratio(t.placesVisited, t.placesOwed),
    persons: ratio(t.personVisitsMade, t.personVisitsOwed),
    patrol: ratio(t.patrolSeconds, t.patrolRequiredSeconds),
    hazards: ratio(t.hazardsDone, t.hazards),
  };
}

/** The weakest of the figures that say something: what the choropleth colours by default. */
export function lowest(r: Ratios): number | null {
  const known = FIGURES.map((f) => r[f]).filter((v): v is number => v !== null);
  return known.length ? Math.min(...known) : null;
}

/** Sums rows into groups by `keyOf`, keeping the first row's other fields for each group. */
export function rollUp<T extends { tally: Tally }, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, Tally> {
  const out = new Map<K, Tally>();
  for (const row of rows) {
    const key = keyOf(row);
    out.set(key, addTally(out.get(key) ?? EMPTY_TALLY, row.tally));
  }
  return out;
}

/** Percentage for a screen: 0–100, or — when the figure says nothing. */
export function percent(v: number | null): string {
  return v === null ? '—' : `${Math.floor(v * 100)}%`;
}

/** The choropleth's colour of a ratio: red (nothing done) through amber to green (all done); grey when it says nothing. */
export function coverageColour(v: number | null): string {
  if (v === null) return '#5b6b7d';
  if (v < 0.25) return '#d7301f';
  if (v < 0.5) return '#f46d43';
  if (v < 0.75) return '#fdae61';
  if (v < 1) return '#a6d96a';
  return '#1a9850';
}

export const COVERAGE_LEGEND: { label: string; colour: string }[] = [
  { label: '<25%', colour: coverageColour(0) },
  { label: '25–50%', colour: coverageColour(0.25) },
  { label: '50–75%', colour: coverageColour(0.5) },
  { label: '75–99%', colour: coverageColour(0.75) },
  { label: '100%', colour: coverageColour(1) },
  { label: '无应办', colour: coverageColour(null) },
];

/** The value a choropleth colours by: one figure, or the weakest of the four. */
export function valueOf(r: { ratios: Ratios; lowest: number | null }, by: Figure | 'lowest'): number | null {
  return by === 'lowest' ? r.lowest : r.ratios[by];
}
