import { afterEach, describe, expect, it, vi } from 'vitest';
import { Observable } from './observable';

class Counter extends Observable {
  value = 0;
  bump(throttleMs?: number): void {
    this.value += 1;
    if (throttleMs === undefined) this.notify();
    else this.notifyAtMost(throttleMs);
  }
  stop(): void {
    this.cancelNotify();
  }
}

afterEach(() => vi.useRealTimers());

describe('Observable', () => {
  it('tells each listener until it unsubscribes', () => {
    const c = new Counter();
    const heard: number[] = [];
    const off = c.subscribe(() => heard.push(c.value));
    c.bump();
    off();
    c.bump();
    expect(heard).toEqual([1]);
  });

  it('throttles with a leading edge, and a cancelled notice never comes', async () => {
    vi.useFakeTimers();
    const c = new Counter();
    const heard: number[] = [];
    c.subscribe(() => heard.push(c.value));
    await vi.advanceTimersByTimeAsync(1000);
    c.bump(500);
    await vi.advanceTimersByTimeAsync(0);
    expect(heard).toEqual([1]);
    c.bump(500);
    c.bump(500);
    await vi.advanceTimersByTimeAsync(499);
    expect(heard).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(heard).toEqual([1, 3]);
    c.bump(500);
    c.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(heard).toEqual([1, 3]);
  });
});
