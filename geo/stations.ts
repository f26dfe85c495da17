/**
 * Groups each town's villages into 2–3 片区 served by one joint-action station.
 * Groups grow outward from far-apart seed villages over the shared-border graph,
 * so each group is contiguous whenever the villages themselves are.
 */
import { pointOnFeature } from '@turf/turf';
import { STATION_UNIT_KINDS, STATION_UNIT_LABEL } from '../lib/contracts/geo';
import { asFeature, multiCentroid, pointInMulti, round } from './geometry';
import type { AreaUnit, Pt, Station } from './types';

/** Towns this large get a third station so no 片区 spans too many villages. */
const THREE_STATIONS_FROM = 24;

const UNITS = STATION_UNIT_KINDS.map((kind) => ({ kind, name: STATION_UNIT_LABEL[kind] }));

/** Villages sharing ≥2 output vertices share a border segment (both sides are cut by the same edge). */
function adjacency(villages: AreaUnit[]): Set<number>[] {
  const byVertex = new Map<string, Set<number>>();
  villages.forEach((v, i) => {
    for (const p of v.geometry) for (const r of p) for (const [x, y] of r) {
      const key = `${x},${y}`;
      const set = byVertex.get(key) ?? new Set<number>();
      set.add(i);
      byVertex.set(key, set);
    }
  });
  const shared = new Map<string, number>();
  for (const set of byVertex.values()) {
    const ids = [...set];
    for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) {
      const key = ids[a] < ids[b] ? `${ids[a]}:${ids[b]}` : `${ids[b]}:${ids[a]}`;
      shared.set(key, (shared.get(key) ?? 0) + 1);
    }
  }
  const adj = villages.map(() => new Set<number>());
  for (const [key, n] of shared) {
    if (n < 2) continue;
    const [a, b] = key.split(':').map(Number);
    adj[a].add(b);
    adj[b].add(a);
  }
  return adj;
}

function growGroups(centres: Pt[], adj: Set<number>[], k: number): number[][] {
  const kx = Math.cos((centres[0][1] * Math.PI) / 180);
  const d2 = (a: Pt, b: Pt) => ((a[0] - b[0]) * kx) ** 2 + (a[1] - b[1]) ** 2;
  const mid: Pt = [centres.reduce((s, c) => s + c[0], 0) / centres.length, centres.reduce((s, c) => s + c[1], 0) / centres.length];

  // Farthest-point seeding: start at the rim, then keep picking the village farthest from all seeds.
  const seeds = [centres.reduce((best, c, i) => (d2(c, mid) > d2(centres[best], mid) ? i : best), 0)];
  while (seeds.length < k) {
    let best = -1, bestD = -1;
    centres.forEach((c, i) => {
      const d = Math.min(...seeds.map((s) => d2(c, centres[s])));
      if (!seeds.includes(i) && d > bestD) {
        bestD = d;
        best = i;
      }
    });
    seeds.push(best);
  }

  const owner = new Array<number>(centres.length).fill(-1);
  const groups = seeds.map((s, g) => ((owner[s] = g), [s]));
  let left = centres.length - k;
  while (left > 0) {
    // The smallest group that can still grow takes its nearest bordering village.
    const order = groups.map((_, g) => g).sort((a, b) => groups[a].length - groups[b].length || a - b);
    let grown = false;
    for (const g of order) {
      let pick = -1, pickD = Infinity;
      for (const m of groups[g]) for (const nb of adj[m]) {
        const d = d2(centres[nb], centres[seeds[g]]);
        if (owner[nb] === -1 && d < pickD) {
          pickD = d;
          pick = nb;
        }
      }
      if (pick >= 0) {
        owner[pick] = g;
        groups[g].push(pick);
        grown = true;
        break;
      }
    }
    if (!grown) {
      // Disconnected leftovers (e.g. an enclave): attach to the group of the nearest assigned village.
      const i = owner.indexOf(-1);
      let near = -1, nearD = Infinity;
      owner.forEach((o, j) => {
        const d = d2(centres[i], centres[j]);
        if (o >= 0 && d < nearD) {
          nearD = d;
          near = j;
        }
      });
      owner[i] = owner[near];
      groups[owner[near]].push(i);
    }
    left--;
  }
  return groups;
}

/** Compass labels, clockwise from north; 中 marks a group around the town's middle. */
const COMPASS: [string, number, number][] = [
  ['北', 0, 1], ['东北', Math.SQRT1_2, Math.SQRT1_2], ['东', 1, 0], ['东南', Math.SQRT1_2, -Math.SQRT1_2],
  ['南', 0, -1], ['西南', -Math.SQRT1_2, -Math.SQRT1_2], ['西', -1, 0], ['西北', -Math.SQRT1_2, Math.SQRT1_2], ['中', 0, 0],
];

/**
 * Names each group by where it lies relative to the town's middle. Groups can
 * sit in a triangle, so a single east–west ordering mislabels them; instead
 * the distinct labels that best fit all offsets together win (≤ 9·8·7 tries).
 */
function directionLabels(groupCentres: Pt[], middle: Pt): string[] {
  const kx = Math.cos((middle[1] * Math.PI) / 180);
  const off = groupCentres.map((c): Pt => [(c[0] - middle[0]) * kx, c[1] - middle[1]]);
  const reach = off.reduce((s, [x, y]) => s + Math.hypot(x, y), 0) / off.length;
  const cost = (g: number, l: number) => (off[g][0] - reach * COMPASS[l][1]) ** 2 + (off[g][1] - reach * COMPASS[l][2]) ** 2;
  let best: number[] = [], bestCost = Infinity;
  const search = (chosen: number[], total: number) => {
    if (total >= bestCost) return;
    if (chosen.length === off.length) {
      best = [...chosen];
      bestCost = total;
      return;
    }
    for (let l = 0; l < COMPASS.length; l++) if (!chosen.includes(l)) search([...chosen, l], total + cost(chosen.length, l));
  };
  search([], 0);
  return best.map((l) => COMPASS[l][0]);
}

export function planStations(town: { code: string; name: string }, villages: AreaUnit[]): Station[] {
  const k = villages.length >= THREE_STATIONS_FROM ? 3 : 2;
  const centres = villages.map((v) => multiCentroid(v.geometry));
  const groups = growGroups(centres, adjacency(villages), k);
  const groupCentres = groups.map((g): Pt => [g.reduce((s, i) => s + centres[i][0], 0) / g.length, g.reduce((s, i) => s + centres[i][1], 0) / g.length]);
  const middle: Pt = [centres.reduce((s, c) => s + c[0], 0) / centres.length, centres.reduce((s, c) => s + c[1], 0) / centres.length];
  const labels = directionLabels(groupCentres, middle);
  const rank = (g: number) => COMPASS.findIndex(([name]) => name === labels[g]);
  const order = groups.map((_, g) => g).sort((a, b) => rank(a) - rank(b));

  return order.map((g, n): Station => {
    const members = [...groups[g]].sort((a, b) => villages[a].props.code.localeCompare(villages[b].props.code));
    // The station sits in the group's most central village, so the 东/西 labels match the map.
    const gc = groupCentres[g];
    const off = (i: number) => (centres[i][0] - gc[0]) ** 2 + (centres[i][1] - gc[1]) ** 2;
    const main = members.reduce((best, i) => (off(i) < off(best) ? i : best), members[0]);
    const geom = villages[main].geometry;
    const c = centres[main];
    const pt: Pt = pointInMulti(c, geom) ? c : (pointOnFeature(asFeature(geom)).geometry.coordinates as Pt);
    return {
      props: {
        code: `${town.code}S${n + 1}`,
        name: `${town.name}${labels[g]}片区社会治理联动工作站`,
        townCode: town.code,
        villageCodes: members.map((i) => villages[i].props.code),
        units: UNITS.map((u) => ({ ...u })),
      },
      point: [round(pt[0]), round(pt[1])],
    };
  });
}
