import { describe, expect, it } from 'vitest';
import { seededRandom } from '@/lib/random';
import { answer, locate, planOf, ranksOf, readsOf, valueAt } from './percentile';

/** percentile_cont by the book: sort everything, interpolate between the two ranks. */
function reference(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const r = ranksOf(p, s.length);
  return valueAt(r, s[r.first], s[r.second]);
}

describe('percentile arithmetic (lib/analytics/percentile)', () => {
  it('reads the ranks percentile_cont reads', () => {
    expect(ranksOf(0.5, 1)).toEqual({ first: 0, second: 0, proportion: 0 });
    expect(ranksOf(0.5, 2)).toEqual({ first: 0, second: 1, proportion: 0.5 });
    expect(ranksOf(0.9, 11)).toEqual({ first: 9, second: 9, proportion: 0 });
    expect(valueAt(ranksOf(0.5, 2), 1, 3)).toBe(2);
    expect(valueAt(ranksOf(0.9, 3), 10, 20)).toBeCloseTo(18, 12);
  });

  it('locates a rank in the bins, and not past them', () => {
    const bins = [{ bucket: 2, n: 3 }, { bucket: 5, n: 1 }, { bucket: 9, n: 2 }];
    expect(locate(bins, 0)).toEqual({ bucket: 2, offset: 0 });
    expect(locate(bins, 3)).toEqual({ bucket: 5, offset: 0 });
    expect(locate(bins, 5)).toEqual({ bucket: 9, offset: 1 });
    expect(locate(bins, 6)).toBeNull();
    expect(planOf([], [0.5])).toBeNull();
  });

  it('two phases give the sorted answer, across buckets and on ties (seeded)', () => {
    const r = seededRandom(42);
    for (let t = 0; t < 500; t++) {
      const n = Math.floor(r() * 30);
      const values = Array.from({ length: n }, () => Math.floor(r() * 12) / 2);
      const bucketOf = (v: number) => Math.floor(v / 1.5);
      const bins = [...new Set(values.map(bucketOf))].sort((a, b) => a - b).map((b) => ({ bucket: b, n: values.filter((v) => bucketOf(v) === b).length }));
      const plan = planOf(bins, [0.5, 0.9]);
      if (n === 0) {
        expect(plan).toBeNull();
        continue;
      }
      const reads = readsOf(plan!);
      const got = answer(plan!, reads, (b) => {
        const s = values.filter((v) => bucketOf(v) === b).sort((x, y) => x - y);
        const rd = reads.get(b)!;
        return s.slice(rd.offset, rd.offset + rd.count);
      });
      expect(got).toEqual([reference(values, 0.5), reference(values, 0.9)]);
    }
  });

  it('answers null when a read comes back short', () => {
    const plan = planOf([{ bucket: 1, n: 4 }], [0.5])!;
    expect(answer(plan, readsOf(plan), () => [1])).toBeNull();
  });
});
