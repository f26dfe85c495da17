/*
 * The arithmetic of PostgreSQL's percentile_cont, so a percentile found in two phases (a histogram,
 * then one bucket's values; server/analytics/percentiles.ts) is the very float8 percentile_cont
 * returns over all the values (issue 13: exact figures, tests against hand-computed values).
 * Mirrors orderedsetaggs.c: rows first = floor(p·(n−1)) and second = ceil(p·(n−1)) (0-based),
 * value = lo + (p·(n−1) − first)·(hi − lo), or lo alone when the two rows are one.
 */

/** The 0-based ranks of the sorted values percentile_cont reads for fraction `p` of `n` values (n ≥ 1). */
export interface Ranks {
  first: number;
  second: number;
  proportion: number;
}

export function ranksOf(p: number, n: number): Ranks {
  const at = p * (n - 1);
  const first = Math.floor(at);
  return { first, second: Math.ceil(at), proportion: at - first };
}

/** percentile_cont's value from the values at its two ranks (float8_lerp). */
export function valueAt(r: Ranks, lo: number, hi: number): number {
  return r.first === r.second ? lo : lo + r.proportion * (hi - lo);
}

/** One bucket of a histogram: its number (sort order of its values) and how many values it holds. */
export interface Bin {
  bucket: number;
  n: number;
}

/** Where a 0-based rank falls: the bucket, and the rank within it. `bins` ascending by bucket, counts > 0. */
export function locate(bins: readonly Bin[], rank: number): { bucket: number; offset: number } | null {
  let before = 0;
  for (const b of bins) {
    if (rank < before + b.n) return { bucket: b.bucket, offset: rank - before };
    before += b.n;
  }
  return null;
}

/** Every value an exact percentile needs, as (bucket, offset) reads; and how to put the answer together. */
export interface Plan {
  total: number;
  /** Per fraction: the bucket and offset of its first and second rank, and its Ranks. */
  picks: { ranks: Ranks; first: { bucket: number; offset: number }; second: { bucket: number; offset: number } }[];
}

/** null when the histogram is empty (percentile_cont of no values is NULL), or inconsistent. */
export function planOf(bins: readonly Bin[], fractions: readonly number[]): Plan | null {
  const total = bins.reduce((s, b) => s + b.n, 0);
  if (total <= 0) return null;
  const picks: Plan['picks'] = [];
  for (const p of fractions) {
    const ranks = ranksOf(p, total);
    const first = locate(bins, ranks.first);
    const second = locate(bins, ranks.second);
    if (!first || !second) return null;
    picks.push({ ranks, first, second });
  }
  return { total, picks };
}

/** The per-bucket reads of a plan: the lowest offset and how many values from it. */
export function readsOf(plan: Plan): Map<number, { offset: number; count: number }> {
  const span = new Map<number, [number, number]>();
  for (const pick of plan.picks) {
    for (const { bucket, offset } of [pick.first, pick.second]) {
      const s = span.get(bucket);
      span.set(bucket, s ? [Math.min(s[0], offset), Math.max(s[1], offset)] : [offset, offset]);
    }
  }
  return new Map([...span].map(([b, [lo, hi]]) => [b, { offset: lo, count: hi - lo + 1 }]));
}

/**
 * The percentiles from the values read: `read(bucket)` returns that bucket's sorted values from
 * its read offset. null when a read came back short (the histogram and the events disagree).
 */
export function answer(plan: Plan, reads: Map<number, { offset: number }>, read: (bucket: number) => readonly number[] | undefined): number[] | null {
  const at = (x: { bucket: number; offset: number }): number | undefined => read(x.bucket)?.[x.offset - (reads.get(x.bucket)?.offset ?? 0)];
  const out: number[] = [];
  for (const pick of plan.picks) {
    const lo = at(pick.first);
    const hi = at(pick.second);
    if (lo === undefined || hi === undefined) return null;
    out.push(valueAt(pick.ranks, lo, hi));
  }
  return out;
}
