/**
 * The guarantees downstream PostGIS tests rely on, checked on the exact
 * (rounded) geometries we write. Ratios use geodesic areas from turf.area.
 */
import { area, booleanPointInPolygon, booleanValid, difference, featureCollection, intersect, kinks, point, union } from '@turf/turf';
import { asFeature, bbox, toMulti } from './geometry';
import type { AreaUnit, MultiPoly, Station } from './types';
import { validityIssue } from './validity';

export const LIMITS = {
  /** area(child − parent) / area(child) */
  outsideParent: 1e-4,
  /** area(a ∩ b) / min(area a, area b) for siblings */
  siblingOverlap: 1e-3,
  /** 1 − area(district ∩ ∪grids) / area(district) */
  uncovered: 5e-3,
};

export interface QualityReport {
  invalid: string[];
  maxOutsideParent: { ratio: number; code: string };
  maxSiblingOverlap: { ratio: number; codes: string };
  coverage: number;
  failures: string[];
}

const m2 = (mp: MultiPoly): number => (mp.length ? area(asFeature(mp)) : 0);
const diff = (a: MultiPoly, b: MultiPoly): MultiPoly => toMulti(difference(featureCollection([asFeature(a), asFeature(b)]))?.geometry);
const meet = (a: MultiPoly, b: MultiPoly): MultiPoly => toMulti(intersect(featureCollection([asFeature(a), asFeature(b)]))?.geometry);

function boxesOverlap(a: MultiPoly, b: MultiPoly): boolean {
  const [ax0, ay0, ax1, ay1] = bbox(a), [bx0, by0, bx1, by1] = bbox(b);
  return ax0 <= bx1 && bx0 <= ax1 && ay0 <= by1 && by0 <= ay1;
}

export function checkQuality(levels: { district: AreaUnit; towns: AreaUnit[]; villages: AreaUnit[]; grids: AreaUnit[] }, stations: Station[]): QualityReport {
  const { district, towns, villages, grids } = levels;
  const all = [district, ...towns, ...villages, ...grids];
  const byCode = new Map(all.map((u) => [u.props.code, u]));
  const failures: string[] = [];

  // Our exact OGC check first; turf's own predicates as a second opinion.
  const invalid = all.flatMap((u) => {
    const issue = validityIssue(u.geometry);
    if (issue) return [`${u.props.code}: ${issue}`];
    const f = asFeature(u.geometry);
    if (!booleanValid(f)) return [`${u.props.code}: turf.booleanValid is false`];
    if (kinks(f).features.length) return [`${u.props.code}: turf.kinks found self-intersections`];
    return [];
  });
  if (invalid.length) failures.push(`${invalid.length} invalid geometries, e.g. ${invalid[0]}`);

  let maxOutside = { ratio: 0, code: '' };
  for (const child of [...towns, ...villages, ...grids]) {
    const parent = byCode.get(child.props.parentCode ?? '');
    if (!parent) {
      failures.push(`${child.props.code}: parent ${child.props.parentCode} missing`);
      continue;
    }
    const ratio = m2(diff(child.geometry, parent.geometry)) / m2(child.geometry);
    if (ratio > maxOutside.ratio) maxOutside = { ratio, code: child.props.code };
  }
  if (maxOutside.ratio >= LIMITS.outsideParent) failures.push(`${maxOutside.code} lies ${(maxOutside.ratio * 100).toFixed(4)}% outside its parent`);

  let maxOverlap = { ratio: 0, codes: '' };
  const siblings = new Map<string, AreaUnit[]>();
  for (const u of [...towns, ...villages, ...grids]) siblings.set(u.props.parentCode ?? '', [...(siblings.get(u.props.parentCode ?? '') ?? []), u]);
  for (const group of siblings.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) {
      const a = group[i], b = group[j];
      if (!boxesOverlap(a.geometry, b.geometry)) continue;
      const ratio = m2(meet(a.geometry, b.geometry)) / Math.min(m2(a.geometry), m2(b.geometry));
      if (ratio > maxOverlap.ratio) maxOverlap = { ratio, codes: `${a.props.code}/${b.props.code}` };
    }
  }
  if (maxOverlap.ratio >= LIMITS.siblingOverlap) failures.push(`${maxOverlap.codes} overlap ${(maxOverlap.ratio * 100).toFixed(4)}%`);

  const gridUnion = toMulti(union(featureCollection(grids.map((g) => asFeature(g.geometry))))?.geometry);
  const coverage = 1 - m2(diff(district.geometry, gridUnion)) / m2(district.geometry);
  if (1 - coverage >= LIMITS.uncovered) failures.push(`grids cover only ${(coverage * 100).toFixed(3)}% of the district`);

  if (towns.length !== 10) failures.push(`expected 10 towns, got ${towns.length}`);
  if (villages.length !== 261) failures.push(`expected 261 villages, got ${villages.length}`);
  for (const v of villages) {
    const n = siblings.get(v.props.code)?.length ?? 0;
    if (n < 3) failures.push(`${v.props.code} has ${n} grids`);
  }

  const stationOf = new Map<string, string>();
  for (const s of stations) {
    for (const vc of s.props.villageCodes) {
      if (stationOf.has(vc)) failures.push(`${vc} is in ${stationOf.get(vc)} and ${s.props.code}`);
      stationOf.set(vc, s.props.code);
      if (byCode.get(vc)?.props.parentCode !== s.props.townCode) failures.push(`${s.props.code}: ${vc} is not in town ${s.props.townCode}`);
    }
    const inside = s.props.villageCodes.some((vc) => {
      const g = byCode.get(vc)?.geometry;
      return g !== undefined && booleanPointInPolygon(point(s.point), asFeature(g), { ignoreBoundary: true });
    });
    if (!inside) failures.push(`${s.props.code}: point outside its villages`);
  }
  for (const v of villages) if (!stationOf.has(v.props.code)) failures.push(`${v.props.code} has no station`);

  return { invalid, maxOutsideParent: maxOutside, maxSiblingOverlap: maxOverlap, coverage, failures };
}
