/** A source of uniform numbers in [0, 1): `seededRandom` in the simulator, anything in tests. */
export type Rand = () => number;

export function uniform(rand: Rand, min: number, max: number): number {
  return min + (max - min) * rand();
}

export function exponential(rand: Rand, mean: number): number {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -Math.log(1 - rand()) * mean;
}

/** Log-normal with the given median: handling times have a long tail, most are short. */
export function logNormal(rand: Rand, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

/**
 * Picks items in proportion to their weights in O(log n), for pools of thousands of grids drawn
 * on every incident.
 */
export function weightedPicker<T>(items: readonly T[], weight: (item: T) => number): (rand: Rand) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += Math.max(0, weight(item));
    cumulative.push(total);
  }
  if (items.length === 0 || total <= 0) throw new Error('weightedPicker needs at least one item of positive weight');
  return (rand) => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
}
