// A process of wall clients: several sockets on /live, each on its own connection (forceNew), each
// opened as a wall display of a station or of the district, keeping its own account of latency,
// bytes, order, what it has seen of every unit and which fixes it should never have received.
import { io as connect, type Socket } from 'socket.io-client';
import { readTick } from '@/lib/live/pack';
import { LatencyHistogram } from './histogram';
import { emitEvent, followParent, serveRequests } from './ipc';
import type { BenchScreen, ClientConnect, NaivePosition, ClientProgress, ClientReport, ClientRequest, SocketReport } from './protocol';
import { unitsInScope } from './screens';

let t0 = Number.POSITIVE_INFINITY;
let t1 = Number.POSITIVE_INFINITY;
let until = Number.POSITIVE_INFINITY;
const recent = new LatencyHistogram();
let recentUpdates = 0;

class SocketMeter {
  updates = 0;
  bytes = 0;
  ticks = 0;
  exact = 0;
  duplicates = 0;
  backwards = 0;
  seqJumps = 0;
  missedTicks = 0;
  disconnects = 0;
  foreign = 0;
  private lastSeq: number | undefined;
  readonly latency = new LatencyHistogram();
  readonly maxT: Float64Array;
  private readonly mine: Uint8Array;
  private readonly unknown: number;

  constructor(
    readonly stationId: number | null,
    unitStation: Int32Array,
  ) {
    this.maxT = new Float64Array(unitStation.length);
    ({ mine: this.mine, unknown: this.unknown } = unitsInScope(stationId, unitStation));
  }

  received(size: number, now: number): void {
    if (now >= t0 && now < t1) this.bytes += size;
  }

  tick(seq: number, now: number): void {
    if (this.lastSeq !== undefined && seq !== this.lastSeq + 1) {
      this.seqJumps += 1;
      if (seq > this.lastSeq + 1) this.missedTicks += seq - this.lastSeq - 1;
    }
    this.lastSeq = seq;
    if (now >= t0 && now < t1) this.ticks += 1;
  }

  fix(unitId: number, t: number, now: number): void {
    // A unit outside the screen's scope is an error whenever it comes, and is no delivery: the naive
    // relay broadcasts every unit, and only the screen's own units count in its figures, as in ours.
    if ((this.mine[unitId] ?? this.unknown) !== 1) {
      this.foreign += 1;
      return;
    }
    // After the drain the run is over: what arrives now was not delivered in time.
    if (now >= until) return;
    if (now >= t0 && now < t1) this.updates += 1;
    recentUpdates += 1;
    const inWindow = t >= t0 && t < t1;
    // By arrival: what a wall showed during the window, including a relay's backlog from the warm-up.
    if (now >= t0 && now < t1) this.latency.record(now - t);
    // Progress watches every fix, warm-up included: a relay already behind shows it before the window.
    recent.record(now - t);
    if (unitId >= this.maxT.length) return;
    const prev = this.maxT[unitId];
    if (t > prev) {
      if (inWindow) this.exact += 1;
      this.maxT[unitId] = t;
    } else if (t === prev) this.duplicates += 1;
    else this.backwards += 1;
  }

  report(): SocketReport {
    const { stationId, foreign, updates, bytes, ticks, exact, duplicates, backwards, seqJumps, missedTicks, disconnects, maxT } = this;
    return { stationId, foreign, updates, bytes, ticks, exact, duplicates, backwards, seqJumps, missedTicks, disconnects, maxT, latency: this.latency.toWire() };
  }
}

/** Size of an engine.io payload: strings here are JSON of ASCII, so length is bytes. */
function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

const sockets: Socket[] = [];
const meters: SocketMeter[] = [];

function open(cfg: ClientConnect, screen: BenchScreen, cookie: string): Promise<void> {
  const meter = new SocketMeter(screen.stationId, cfg.unitStation);
  const s = connect(`${cfg.url}/live`, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnection: false });
  sockets.push(s);
  meters.push(meter);
  // Bytes as the engine hands them up: every packet of this connection, binary attachments included.
  s.io.on('open', () => s.io.engine.on('packet', (p: { data?: unknown }) => meter.received(sizeOf(p.data), Date.now())));
  // Only during the run: the orchestrator stops the server before it collects the reports.
  s.on('disconnect', () => Date.now() < until && (meter.disconnects += 1));
  if (cfg.variant === 'ours') {
    s.on('pos', (data: Uint8Array | ArrayBuffer) => {
      const now = Date.now();
      const tick = readTick(data instanceof Uint8Array ? data : new Uint8Array(data));
      meter.tick(tick.seq, now);
      tick.forEach((unitId, _lon, _lat, t) => meter.fix(unitId, t, now));
    });
  } else {
    s.on('pos', (p: NaivePosition) => meter.fix(p.unitId, p.t, Date.now()));
  }
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (err: Error) => reject(new Error(`socket ${sockets.length}: ${err.message}`)));
  });
}

/** The session cookie a wall screen gets from `/wall?display=<token>` (a 302 that sets it). */
async function openDisplay(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/wall?display=${encodeURIComponent(token)}`, { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (res.status !== 302 || !cookie) throw new Error(`display token refused: ${res.status} ${res.headers.get('location') ?? ''}`);
  return cookie;
}

const progress = setInterval(() => {
  const p: ClientProgress = {
    kind: 'progress',
    connected: sockets.filter((s) => s.connected).length,
    updates: recentUpdates,
    p50: recent.quantile(0.5),
    max: recent.max,
  };
  emitEvent(p);
  recent.reset();
  recentUpdates = 0;
}, 1000);
progress.unref();

serveRequests<ClientRequest>(async (req) => {
  switch (req.kind) {
    case 'connect': {
      // One display session per screen and process: any number of sockets may carry its cookie.
      const cookies = new Map<string, Promise<string>>();
      for (const { token } of req.screens) if (!cookies.has(token)) cookies.set(token, openDisplay(req.url, token));
      await Promise.all(req.screens.map(async (screen) => open(req, screen, await cookies.get(screen.token)!)));
      return { connected: sockets.length };
    }
    case 'window':
      t0 = req.t0;
      t1 = req.t1;
      until = req.until;
      return { ok: true };
    case 'report': {
      const report: ClientReport = { sockets: meters.map((m) => m.report()) };
      return report;
    }
  }
});
followParent(async () => {
  for (const s of sockets) s.close();
});
emitEvent({ kind: 'ready' });
