// bench:wall died of "JavaScript heap out of memory": it built all its ticks and handed them to one
// page.evaluate, which Playwright serialises into an object per number. What crosses into the page
// at once must be one tick, however many ticks the run has.
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import type { BenchUnit } from './protocol';
import { measureTicks } from './wall-ticks';

const units: BenchUnit[] = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, code: `u${i}`, lon: 120 + i * 1e-4, lat: 30.8, stationId: null }));

/** A page that runs nothing and notes the size of every argument it is handed. */
function recordingPage(): { page: Pick<Page, 'evaluate'>; sizes: number[]; kinds: string[] } {
  const sizes: number[] = [];
  const kinds: string[] = [];
  const evaluate = async (_fn: unknown, arg: unknown) => {
    if (arg instanceof Uint8Array) {
      kinds.push('bytes');
      sizes.push(arg.byteLength);
    } else if (typeof arg === 'string') {
      kinds.push('json');
      sizes.push(arg.length);
    } else {
      kinds.push(Array.isArray(arg) ? 'array' : typeof arg);
      sizes.push(JSON.stringify(arg).length);
    }
    return 0.5;
  };
  return { page: { evaluate } as unknown as Pick<Page, 'evaluate'>, sizes, kinds };
}

describe('measureTicks', () => {
  it('sends one tick per evaluate, binary as a Uint8Array, so its largest argument does not grow with the number of ticks', async () => {
    const few = recordingPage();
    const many = recordingPage();
    const a = await measureTicks(few.page, units, 5);
    const b = await measureTicks(many.page, units, 40);
    expect(a.ours).toHaveLength(5);
    expect(b.naive).toHaveLength(40);
    expect(many.kinds).toEqual([...Array(40).fill('bytes'), ...Array(40).fill('json')]);
    expect(b.bytesPerTick).toBe(16 + 20 * units.length);
    expect(many.sizes.slice(0, 40).every((n) => n === b.bytesPerTick)).toBe(true);
    // One tick's JSON (its length moves a little with the digits of the positions), never the run's.
    expect(Math.max(...many.sizes)).toBeLessThan(1.05 * Math.max(...few.sizes));
    expect(Math.max(...many.sizes)).toBeLessThan(150 * units.length);
  });
});
