/**
 * What the client stores share for React's useSyncExternalStore: the listeners and telling them.
 * Each store keeps its own snapshot and getter, and calls notify() once that snapshot is new, so
 * a listener always reads something that changed.
 */
export class Observable {
  private readonly listeners = new Set<() => void>();
  private pending: ReturnType<typeof setTimeout> | undefined;
  // Creation counts as a notice: a store's first burst of changes is throttled like any later one.
  private notifiedAt = Date.now();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** When listeners last heard (epoch ms). */
  protected get lastNotifiedAt(): number {
    return this.notifiedAt;
  }

  protected notify(): void {
    this.notifiedAt = Date.now();
    for (const listener of this.listeners) listener();
  }

  /**
   * notify() at most once per `ms`, however many changes come. Leading edge: the first change
   * after a quiet spell goes on the next turn; the rest of a burst waits out the interval together.
   */
  protected notifyAtMost(ms: number): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.notify();
    }, Math.max(0, this.notifiedAt + ms - Date.now()));
  }

  /** Drops a notice still waiting (the store is stopping). */
  protected cancelNotify(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }
}
