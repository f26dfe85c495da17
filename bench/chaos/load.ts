import { randomUUID } from 'node:crypto';

/** How a request ended: an answer's status class, or no answer at all. */
export type Outcome = '2xx' | '4xx' | '429' | '503' | '500' | 'other5xx' | 'refused' | 'reset' | 'timeout';

export interface Tally {
  outcomes: Partial<Record<Outcome, number>>;
  /** 503 answers without Retry-After: a client cannot know when to come back. */
  noRetryAfter: number;
}

export interface Acked {
  phase: string;
  /** When the item was made (its position's time), and when the server acknowledged it. */
  madeAt: number;
  ackedAt: number;
}

interface Fix {
  unit: string;
  t: number;
  lon: number;
  lat: number;
}

export interface LoadOptions {
  url: string;
  apiKey: string;
  deviceToken: string;
  eventsPerSecond: number;
  units: { id: number; code: string; lon: number; lat: number }[];
  villages: string[];
  /** Requests of either kind in flight at most; beyond it a new one waits its turn. */
  maxInFlight: number;
}

function outcomeOf(err: unknown): Outcome {
  const text = `${(err as Error).message} ${String((err as { cause?: { code?: string } }).cause?.code ?? '')}`;
  if (/ECONNREFUSED/.test(text)) return 'refused';
  if (/timeout|aborted|UND_ERR_HEADERS_TIMEOUT/i.test(text)) return 'timeout';
  return 'reset';
}

function statusClass(status: number): Outcome {
  if (status < 300) return '2xx';
  if (status === 429) return '429';
  if (status === 503) return '503';
  if (status === 500) return '500';
  return status >= 500 ? 'other5xx' : '4xx';
}

/**
 * A steady load of event reports and position batches, each retried with the same idempotency key
 * (or the same fixes) until acknowledged, as a well-behaved source does. Every answer is tallied
 * under the window it came in; every acknowledged item is kept to be found in the database later.
 */
export class ChaosLoad {
  phase = 'start';
  window: 'normal' | 'outage' = 'normal';
  readonly tallies = new Map<string, Tally>();
  readonly events = new Map<string, Acked>();
  readonly fixes = new Map<string, Acked & { unitId: number; t: number }>();
  readonly batches: Acked[] = [];
  unacked = { events: 0, fixes: 0 };
  refusedAs4xx: string[] = [];
  private timers: NodeJS.Timeout[] = [];
  private inFlight = 0;
  private stopping = false;
  private pending = new Set<Promise<void>>();
  private positions: Map<string, { id: number; lon: number; lat: number }>;

  constructor(private readonly o: LoadOptions) {
    this.positions = new Map(o.units.map((u) => [u.code, { id: u.id, lon: u.lon, lat: u.lat }]));
  }

  private tally(): Tally {
    const k = `${this.phase}|${this.window}`;
    let t = this.tallies.get(k);
    if (!t) this.tallies.set(k, (t = { outcomes: {}, noRetryAfter: 0 }));
    return t;
  }

  private count(o: Outcome, res?: Response): void {
    const t = this.tally();
    t.outcomes[o] = (t.outcomes[o] ?? 0) + 1;
    if (o === '503' && !res?.headers.get('retry-after')) t.noRetryAfter += 1;
  }

  start(): void {
    this.timers.push(setInterval(() => this.track(this.reportOne()), 1000 / this.o.eventsPerSecond));
    this.timers.push(setInterval(() => this.track(this.postBatch()), 1000));
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Stops making new items and waits (at most `ms`) for those still being retried. */
  async stop(ms: number): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    const deadline = Date.now() + ms;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    this.stopping = true;
    await Promise.allSettled([...this.pending]);
  }

  /** One request, retried until an answer that settles it; returns the settling response. */
  private async send(path: string, auth: string, body: string, giveUpAt: number): Promise<Response | null> {
    while (this.inFlight >= this.o.maxInFlight) await new Promise((r) => setTimeout(r, 50));
    this.inFlight += 1;
    try {
      for (;;) {
        let wait = 500;
        try {
          const res = await fetch(`${this.o.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
            body,
            signal: AbortSignal.timeout(5_000),
          });
          const o = statusClass(res.status);
          this.count(o, res);
          if (o === '2xx' || o === '4xx') return res;
          const after = Number(res.headers.get('retry-after'));
          if (Number.isFinite(after) && after > 0) wait = Math.min(after * 1000, 5_000);
          await res.arrayBuffer().catch(() => undefined);
        } catch (err) {
          this.count(outcomeOf(err));
        }
        if (this.stopping || Date.now() > giveUpAt) return null;
        await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  private async reportOne(): Promise<void> {
    const phase = this.phase;
    const madeAt = Date.now();
    const key = randomUUID();
    const villageCode = this.o.villages[Math.floor(Math.random() * this.o.villages.length)];
    const body = JSON.stringify({ v: 1, idempotencyKey: key, category: 'city', title: '故障演练：路灯损坏', villageCode });
    const res = await this.send('/api/v1/events', this.o.apiKey, body, madeAt + 120_000);
    if (res?.ok) this.events.set(key, { phase, madeAt, ackedAt: Date.now() });
    else if (res) this.refusedAs4xx.push(`event ${res.status}: ${(await res.text()).slice(0, 200)}`);
    else this.unacked.events += 1;
  }

  private async postBatch(): Promise<void> {
    const phase = this.phase;
    const t = Date.now();
    const fixes: Fix[] = [];
    for (const [code, p] of this.positions) {
      // A walk of a few metres a second: well inside the speed check.
      p.lon += (Math.random() - 0.5) * 0.00005;
      p.lat += (Math.random() - 0.5) * 0.00005;
      fixes.push({ unit: code, t, lon: p.lon, lat: p.lat });
    }
    const res = await this.send('/api/v1/positions', this.o.deviceToken, JSON.stringify({ v: 1, positions: fixes }), t + 120_000);
    if (!res) {
      this.unacked.fixes += fixes.length;
      return;
    }
    if (!res.ok) {
      this.refusedAs4xx.push(`positions ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return;
    }
    const body = (await res.json()) as { accepted: number; rejected: { index: number }[] };
    const rejected = new Set(body.rejected.map((r) => r.index));
    const ackedAt = Date.now();
    this.batches.push({ phase, madeAt: t, ackedAt });
    fixes.forEach((f, i) => {
      if (!rejected.has(i)) this.fixes.set(`${f.unit}@${f.t}`, { phase, madeAt: t, ackedAt, unitId: this.positions.get(f.unit)!.id, t: f.t });
    });
  }

  /** Seconds from `from` until the first batch made after it was acknowledged. */
  positionsFlowAfter(from: number): number | null {
    const first = this.batches.filter((b) => b.madeAt >= from).sort((a, b) => a.ackedAt - b.ackedAt)[0];
    return first ? (first.ackedAt - from) / 1000 : null;
  }
}
