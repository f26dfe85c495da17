// The measuring half of bench:wall, apart from the database and the browser so a test can hold it
// to its bound: what crosses into the page at once is one tick, whatever the number of ticks.
import type { Page } from '@playwright/test';
import { packTick, type PackedFix } from '@/lib/live/pack';
import type { BenchUnit } from './protocol';

/** Tick `k`: every unit a few metres on, as at 1 Hz with 250 ms ticks in the worst case. */
export function tickFixes(units: readonly BenchUnit[], k: number, start: number): PackedFix[] {
  const t = start + k * 250;
  return units.map((u, i) => ({ unitId: u.id, t, lon: u.lon + 0.00002 * k, lat: u.lat + 0.00001 * ((i + k) % 3), speed: 1.3, heading: 90 }));
}

export interface TickCosts {
  /** Main-thread ms of each tick, in order. */
  ours: number[];
  naive: number[];
  bytesPerTick: number;
  jsonBytesPerTick: number;
}

/**
 * Applies `ticks` ticks in the wall page, ours (binary, the store) then naive (JSON objects), and
 * times each on the page's main thread. Each tick is built when it is sent and sent alone, the
 * binary one as a Uint8Array: Playwright serialises an evaluate argument into a tree with an
 * object per value, so all ticks at once as number arrays (120 × 200,016 numbers at 10,000 units)
 * took gigabytes of this process's heap and ended it with "JavaScript heap out of memory".
 */
export async function measureTicks(page: Pick<Page, 'evaluate'>, units: readonly BenchUnit[], ticks: number): Promise<TickCosts> {
  const start = Date.now();
  const ours: number[] = [];
  let bytesPerTick = 0;
  for (let k = 0; k < ticks; k++) {
    const bytes = packTick(1_000_000 + k, tickFixes(units, k, start));
    bytesPerTick = bytes.byteLength;
    ours.push(
      await page.evaluate(async (tick) => {
        const store = (window as unknown as { __wall: { store: { applyTick(b: Uint8Array): void } } }).__wall.store;
        const t0 = performance.now();
        store.applyTick(tick);
        const ms = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return ms;
      }, bytes),
    );
  }
  // The naive way: a JSON object per unit, parsed, then a fresh array of objects for the layer.
  const naive: number[] = [];
  let jsonBytesPerTick = 0;
  for (let k = 0; k < ticks; k++) {
    const text = JSON.stringify(tickFixes(units, k, start));
    jsonBytesPerTick = Buffer.byteLength(text);
    naive.push(
      await page.evaluate(async (json) => {
        // Kept on window: the units between ticks, and the layer data so the engine cannot drop the work as unused.
        const sink = window as unknown as { __naiveById?: Map<number, { id: number; position: [number, number]; t: number }>; __naiveData?: unknown[] };
        const byId = (sink.__naiveById ??= new Map());
        const t0 = performance.now();
        const fixes = JSON.parse(json) as { unitId: number; lon: number; lat: number; t: number }[];
        for (const f of fixes) byId.set(f.unitId, { id: f.unitId, position: [f.lon, f.lat], t: f.t });
        sink.__naiveData = [...byId.values()];
        const ms = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return ms;
      }, text),
    );
  }
  return { ours, naive, bytesPerTick, jsonBytesPerTick };
}
