import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Refresher } from './refresher';

/** A request that ends when the test says so. */
function gate() {
  const calls: { signal: AbortSignal; end: () => void }[] = [];
  const run = (signal: AbortSignal) => new Promise<void>((resolve) => calls.push({ signal, end: resolve }));
  return { calls, run };
}

describe('Refresher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds a burst of nudges into one request after the debounce', async () => {
    const { calls, run } = gate();
    const r = new Refresher(run, 300);
    for (let i = 0; i < 50; i++) r.nudge();
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
  });

  it('keeps one request in flight and runs once more for nudges during it', async () => {
    const { calls, run } = gate();
    const r = new Refresher(run, 300);
    r.nudge();
    await vi.advanceTimersByTimeAsync(300);
    r.nudge();
    await vi.advanceTimersByTimeAsync(300);
    r.nudge();
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(1);
    calls[0].end();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    calls[1].end();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
  });

  it('restart aborts the request in flight and asks at once', async () => {
    const { calls, run } = gate();
    const r = new Refresher(run, 300);
    r.restart();
    expect(calls).toHaveLength(1);
    r.restart();
    expect(calls[0].signal.aborted).toBe(true);
    expect(calls).toHaveLength(2);
    // The aborted request ending late does not start another.
    calls[0].end();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
  });

  it('does nothing after stop', async () => {
    const { calls, run } = gate();
    const r = new Refresher(run, 300);
    r.nudge();
    r.stop();
    await vi.advanceTimersByTimeAsync(1000);
    r.restart();
    expect(calls).toHaveLength(0);
  });
});
