/** Nudges in a burst (one import touching 500 events) fold into one request after this. */
export const DEBOUNCE_MS = 300;

/**
 * Runs one endpoint's request: at most one in flight, nudges debounced. A nudge during a request
 * is not lost: the request runs once more when the current one ends, so the last change is
 * always shown. `restart` is for a change of what is asked (another area or period): the answer
 * in flight is for the old question and is aborted.
 */
export class Refresher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly run: (signal: AbortSignal) => Promise<void>,
    private readonly debounceMs = DEBOUNCE_MS,
  ) {}

  /** Something may have changed: ask again soon. The first nudge of a burst sets the time; later ones join it. */
  nudge(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.debounceMs);
  }

  /** Ask now, dropping whatever was in flight. */
  restart(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = null;
    this.again = false;
    this.fire();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  private fire(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    void this.run(controller.signal)
      .catch(() => undefined)
      .finally(() => {
        if (this.inFlight !== controller) return;
        this.inFlight = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.fire();
        }
      });
  }
}
