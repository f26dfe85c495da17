import { Observable } from '@/app/observable';
import { DutyState } from '@/lib/contracts/duty';
import { nextBatch, parseQueue, push, sendDue, settles, settleSent } from './fixQueue';
import { fixOf, geoProblem, keepFix, STILL_EVERY_MS, type TrackFix } from './tracker';

/** The /field socket's `pos` with its acknowledgement; rejects when no answer comes in time. */
export type PosLine = (items: unknown[], timeoutMs: number) => Promise<unknown>;

export interface TrackerView {
  /** The account's unit code; null when it has none (nothing to report), undefined until known. */
  unit: string | null | undefined;
  onDuty: boolean;
  /** ISO time the shift began, as the server said (null until it did). */
  since: string | null;
  /** A duty change not yet confirmed by the server (queued in the outbox). */
  syncing: boolean;
  /** Fixes taken and not yet acknowledged. */
  waiting: number;
  /** Why positions cannot be taken, in Chinese; null when they can. */
  problem: string | null;
  /** Time of the newest fix taken (epoch ms). */
  lastFixAt: number | null;
}

interface Stored {
  unit: string | null;
  onDuty: boolean;
  since: string | null;
}

const TICK_MS = 1_000;
const ACK_TIMEOUT_MS = 10_000;
/** After an unanswered batch: the line is probably down; socket.io reconnects meanwhile. */
const RETRY_MS = 5_000;
const WATCH: PositionOptions = { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 };

/**
 * On duty, the phone's position goes out (issue 12): readings filtered by tracker.ts, queued by
 * fixQueue.ts in localStorage, sent in order over the /field socket when a line is up and the
 * browser is online. Off duty, nothing is watched. One per account, like the outbox.
 */
export class Tracker extends Observable {
  private queue: TrackFix[] = [];
  private stored: Stored = { unit: null, onDuty: false, since: null };
  private view: TrackerView;
  private line: PosLine | null = null;
  private watchId: number | null = null;
  private lastKept: TrackFix | null = null;
  private lastSentAt = 0;
  private retryAt = 0;
  private inFlight = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unitKnown = false;
  private syncing = false;
  private problem: string | null = null;

  constructor(
    private readonly key: string,
    /** Sends a duty change (through the outbox); resolves with the server's state, 'queued', or a refusal's message. */
    private readonly sendDuty: (onDuty: boolean) => Promise<DutyState | 'queued' | { refused: string }>,
  ) {
    super();
    this.view = { unit: undefined, onDuty: false, since: null, syncing: false, waiting: 0, problem: null, lastFixAt: null };
  }

  static readonly EMPTY: TrackerView = { unit: undefined, onDuty: false, since: null, syncing: false, waiting: 0, problem: null, lastFixAt: null };

  readonly getView = (): TrackerView => this.view;

  start(): void {
    this.stored = this.readStored();
    this.queue = parseQueue(this.readJson(`${this.key}:fixes`));
    this.timer = setInterval(() => this.tick(), TICK_MS);
    window.addEventListener('online', this.onOnline);
    this.apply();
  }

  stop(): void {
    clearInterval(this.timer);
    window.removeEventListener('online', this.onOnline);
    this.unwatch();
  }

  /** The server's word on load: adopted unless a change of ours is still on its way. */
  known(state: DutyState, changePending: boolean): void {
    this.unitKnown = true;
    this.stored = changePending ? { ...this.stored, unit: state.unit?.code ?? null } : { unit: state.unit?.code ?? null, onDuty: state.onDuty, since: state.since };
    this.apply();
  }

  setLine(line: PosLine | null): void {
    this.line = line;
    this.retryAt = 0;
    if (line) this.tick();
  }

  async setDuty(onDuty: boolean): Promise<string | null> {
    const before = this.stored;
    this.stored = { ...before, onDuty, since: onDuty ? before.since : null };
    this.syncing = true;
    this.apply();
    const r = await this.sendDuty(onDuty);
    this.syncing = r === 'queued';
    if (r === 'queued') return null;
    if ('refused' in r) {
      this.stored = before;
      this.apply();
      return r.refused;
    }
    this.known(r, false);
    return null;
  }

  /** A duty change queued earlier went through (outbox). */
  confirmed(state: DutyState): void {
    this.syncing = false;
    this.known(state, false);
  }

  private apply(): void {
    this.write(`${this.key}:duty`, this.stored);
    if (this.stored.onDuty && this.stored.unit !== null) this.watch();
    else this.unwatch();
    this.publish();
  }

  private watch(): void {
    if (this.watchId !== null) return;
    if (!('geolocation' in navigator)) return this.setProblem(geoProblem('unsupported'));
    if (!window.isSecureContext) return this.setProblem(geoProblem('insecure'));
    this.watchId = navigator.geolocation.watchPosition(this.onPosition, this.onError, WATCH);
  }

  private unwatch(): void {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    this.lastKept = null;
    this.setProblem(null);
  }

  private readonly onPosition = (p: GeolocationPosition) => {
    this.setProblem(null);
    const fix = fixOf(p);
    if (!keepFix(this.lastKept, fix)) return;
    this.lastKept = fix;
    this.queue = push(this.queue, fix, Date.now());
    this.saveQueue();
    this.publish();
    this.tick();
  };

  private readonly onError = (e: GeolocationPositionError) => this.setProblem(geoProblem(e.code));

  private readonly onOnline = () => {
    this.retryAt = 0;
    this.tick();
  };

  private tick(): void {
    const now = Date.now();
    // Standing still, some phones stop calling back: ask once a minute so the trace does not go silent.
    if (this.watchId !== null && this.lastKept && now - this.lastKept.t >= STILL_EVERY_MS)
      navigator.geolocation.getCurrentPosition(this.onPosition, () => undefined, WATCH);
    if (this.inFlight || !this.line || !navigator.onLine || now < this.retryAt || this.stored.unit === null) return;
    if (!sendDue(this.queue, this.lastSentAt, now)) return;
    void this.send(this.line, this.stored.unit);
  }

  private async send(line: PosLine, unit: string): Promise<void> {
    this.inFlight = true;
    this.lastSentAt = Date.now();
    const batch = nextBatch(this.queue);
    try {
      const reply = await line(batch.map((f) => ({ unit, ...f })), ACK_TIMEOUT_MS).catch(() => null);
      if (!settles(reply)) {
        const after = (reply as { retryAfter?: unknown } | null)?.retryAfter;
        this.retryAt = Date.now() + (typeof after === 'number' ? after * 1000 : RETRY_MS);
        return;
      }
      // Refused fixes (too old, a jump) would be refused again: they leave with the rest.
      if (reply.rejected.length > 0) console.warn('[tracker] positions refused:', reply.rejected.slice(0, 3));
      this.queue = settleSent(this.queue, batch);
      this.saveQueue();
      this.publish();
    } finally {
      this.inFlight = false;
    }
    // A backlog drains batch after batch.
    if (this.queue.length > 0 && this.line === line) this.lastSentAt = 0;
    this.tick();
  }

  private setProblem(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.publish();
  }

  private publish(): void {
    this.view = {
      unit: this.unitKnown || this.stored.unit !== null ? this.stored.unit : undefined,
      onDuty: this.stored.onDuty,
      since: this.stored.since,
      syncing: this.syncing,
      waiting: this.queue.length,
      problem: this.problem,
      lastFixAt: this.lastKept?.t ?? this.queue.at(-1)?.t ?? null,
    };
    this.notify();
  }

  private saveQueue(): void {
    this.write(`${this.key}:fixes`, this.queue);
  }

  private readStored(): Stored {
    const raw = this.readJson(`${this.key}:duty`) as Partial<Stored> | null;
    return {
      unit: typeof raw?.unit === 'string' ? raw.unit : null,
      onDuty: raw?.onDuty === true,
      since: typeof raw?.since === 'string' ? raw.since : null,
    };
  }

  private readJson(key: string): unknown {
    try {
      return JSON.parse(localStorage.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or refused: the queue lives as long as the page; nothing else to do.
    }
  }
}
