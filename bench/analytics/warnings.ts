// Goals 3 and 4: the early-warning detectors (server/warnings) at the district's default thresholds,
// on the rollup kpi_grid_day (ours) and on the baseline pool, where the same functions read
// `baseline.kpi_grid_day`, a grouping of raw events on every read (cluster.ts). Each run's
// findings are matched against what the generator planted: found / planted.
import type { WarningSettings } from '../../lib/contracts/warnings';
import { DEFAULT_WARNING_SETTINGS } from '../../lib/warnings/defaults';
import type { Db } from '../../server/db/pool';
import type { Finding } from '../../server/warnings/finding';
import { detectHotspots } from '../../server/warnings/hotspots';
import { detectSurges } from '../../server/warnings/surges';
import type { Planted } from './generate';
import type { Detection } from './report';
import { capped, median, repeat, skipped, type Goal } from './timing';

export const HOTSPOT_LIMIT_MS = 2000;
export const SURGE_LIMIT_MS = 500;

export interface WarningInput {
  ours: Db;
  baseline: Db;
  baselineApp: string;
  admin: Db;
  reps: number;
  capMs: number;
  planted: Planted;
  log: (line: string) => void;
}

const describe = (f: Finding) => `${f.hotspotClass ?? f.kind} ${f.level}${typeof f.numbers.z === 'number' ? ` z=${f.numbers.z}` : ''}${typeof f.numbers.p === 'number' ? ` p=${f.numbers.p.toExponential(1)}` : ''}`;

function matchHotspots(planted: Planted, found: readonly Finding[]): Detection {
  const hot = found.filter((f) => f.kind === 'hotspot');
  const lines: string[] = [];
  let n = 0;
  const explained = new Set<string>();
  for (const h of planted.hotspots) {
    const hits = hot.filter((f) => f.gridCode !== null && h.grids.includes(f.gridCode));
    for (const f of hits) explained.add(f.subject);
    const centre = hits.find((f) => f.gridCode === h.centre);
    if (hits.length) n += 1;
    lines.push(
      `hotspot around ${h.centre} (station ${h.stationId}, ${h.grids.length} grids, ${h.events} planted events): ` +
        (hits.length ? `found in ${hits.length} of its grids; centre ${centre ? describe(centre) : 'not flagged'}` : 'MISSED'),
    );
  }
  // A surge's grid also runs hot in the last days: not a false alarm of the hotspot detector.
  const surgeGrids = new Set(planted.surges.map((s) => s.grid));
  const others = hot.filter((f) => !explained.has(f.subject) && !(f.gridCode && surgeGrids.has(f.gridCode)));
  if (others.length) {
    const byClass = new Map<string, number>();
    for (const f of others) byClass.set(`${f.hotspotClass} ${f.level}`, (byClass.get(`${f.hotspotClass} ${f.level}`) ?? 0) + 1);
    // The generated grids differ in rate (lognormal weights) and the year's season rises over the
    // cube: busy grids and their neighbours are real hot spots of the data, if not planted ones.
    lines.push(`elsewhere, by class: ${[...byClass].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    lines.push(`  e.g. ${others.slice(0, 4).map((f) => `${f.gridCode} ${describe(f)}`).join('; ')}`);
  }
  return { what: 'emerging hotspots', planted: planted.hotspots.length, found: n, lines, others: others.length };
}

function matchSurges(planted: Planted, found: readonly Finding[]): Detection {
  const surges = found.filter((f) => f.kind === 'surge');
  const lines: string[] = [];
  let n = 0;
  const explained = new Set<string>();
  for (const s of planted.surges) {
    const hit = surges.find((f) => f.gridCode === s.grid && f.category === s.category);
    if (hit) {
      n += 1;
      explained.add(hit.subject);
    }
    lines.push(
      `surge ${s.grid} × ${s.category} (station ${s.stationId}, ${s.events} planted in 6 days, ${s.expectedWeek.toFixed(2)} a week expected): ` +
        (hit ? `found, ${describe(hit)} — ${hit.explanation}` : 'MISSED'),
    );
  }
  // A planted hotspot's events have every category: its grids' surges are explained by it.
  const hotGrids = new Set(planted.hotspots.flatMap((h) => h.grids));
  const inHotspots = surges.filter((f) => !explained.has(f.subject) && f.gridCode !== null && hotGrids.has(f.gridCode));
  if (inHotspots.length) lines.push(`${inHotspots.length} more in the grids of the planted hotspots (their events have every category)`);
  const others = surges.filter((f) => !explained.has(f.subject) && !(f.gridCode !== null && hotGrids.has(f.gridCode)));
  if (others.length) lines.push(`elsewhere: ${others.slice(0, 6).map((f) => `${f.gridCode} × ${f.category} ${describe(f)}`).join('; ')}${others.length > 6 ? ' …' : ''}`);
  return { what: 'high-frequency events', planted: planted.surges.length, found: n, lines, others: others.length };
}

type Detector = (db: Db, s: WarningSettings, now?: Date) => Promise<Finding[]>;

async function measure(
  g: WarningInput,
  name: string,
  limitMs: number,
  detect: Detector,
  match: (p: Planted, f: readonly Finding[]) => Detection,
  settings: WarningSettings,
): Promise<{ goal: Goal; detection?: Detection }> {
  try {
    let last: Finding[] = [];
    const ours = await repeat(g.reps, async () => {
      last = await detect(g.ours, settings);
      return `${last.length} findings`;
    });
    const detection = match(g.planted, last);
    g.log(`${name}: median ${median(ours.ms).toFixed(0)} ms, found ${detection.found} / ${detection.planted} planted; baseline …`);
    let base: Finding[] | undefined;
    const baseline = await capped(g.admin, g.baselineApp, g.capMs, async () => {
      base = await detect(g.baseline, settings);
      return `${base.length} findings`;
    });
    if (base) detection.baselineFound = match(g.planted, base).found;
    return { goal: { name, limitMs, ours, baseline }, detection };
  } catch (err) {
    return { goal: skipped(name, limitMs, err) };
  }
}

export async function warningGoals(g: WarningInput): Promise<{ goals: Goal[]; detections: Detection[] }> {
  // The defaults a fresh install runs with (lib/warnings/defaults.ts, migration 018's row).
  const s = DEFAULT_WARNING_SETTINGS;
  const goals: Goal[] = [];
  const detections: Detection[] = [];
  const hot = await measure(g, `emerging hotspots, ${s.hotspotDays} days by ${s.hotspotStep}`, HOTSPOT_LIMIT_MS, detectHotspots, matchHotspots, s);
  const surge = await measure(
    g,
    `high-frequency check, ${s.surgeDays} days against ${s.surgeBaselineWeeks} weeks`,
    SURGE_LIMIT_MS,
    detectSurges,
    matchSurges,
    s,
  );
  for (const r of [hot, surge]) {
    goals.push(r.goal);
    if (r.detection) detections.push(r.detection);
  }
  return { goals, detections };
}
