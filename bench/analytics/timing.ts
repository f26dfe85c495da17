// Timing a goal: ours a few times, the baseline once under a cap (bench:history's way).
import type { Goal as HistoryGoal, Timing } from '../history/goals';

export type { Timing } from '../history/goals';
export { capped, median } from '../history/goals';

/** bench:history's goal, with a line under it: what was found, what the baseline is. */
export interface Goal extends HistoryGoal {
  note?: string;
}

export const max = (v: readonly number[]): number => (v.length ? Math.max(...v) : Number.NaN);

export async function time(fn: () => Promise<string>): Promise<{ ms: number; answer: string }> {
  const t = performance.now();
  const answer = await fn();
  return { ms: performance.now() - t, answer };
}

/** `reps` runs of `fn(i)`, each timed. */
export async function repeat(reps: number, fn: (i: number) => Promise<string>): Promise<Timing> {
  const out: Timing = { ms: [], answer: '' };
  for (let i = 0; i < reps; i++) {
    const r = await time(() => fn(i));
    out.ms.push(r.ms);
    out.answer = r.answer;
  }
  return out;
}

/** A goal whose function failed: its error is shown, the figures measured so far are kept. */
export const skipped = (name: string, limitMs: number, err: unknown): Goal => ({
  name,
  limitMs,
  ours: { ms: [], answer: '' },
  skipped: err instanceof Error ? err.message.split('\n')[0] : String(err),
});
