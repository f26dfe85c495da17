import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentV1 } from '@/lib/contracts/live';
import { packTick } from '@/lib/live/pack';

type Handler = (...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  /** Just enough of a socket.io-client Socket for the store: handlers, acks held until the test answers. */
  class FakeSocket {
    handlers = new Map<string, Handler[]>();
    connected = false;
    active = true;
    snapshotAcks: ((reply: unknown) => void)[] = [];
    on(event: string, fn: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
      return this;
    }
    removeAllListeners() {
      this.handlers.clear();
      return this;
    }
    disconnect() {
      this.connected = false;
      return this;
    }
    connect() {
      return this;
    }
    timeout() {
      return { emitWithAck: () => new Promise((resolve) => this.snapshotAcks.push(resolve)) };
    }
    fire(event: string, ...args: unknown[]) {
      if (event === 'connect') this.connected = true;
      if (event === 'disconnect') this.connected = false;
      for (const fn of this.handlers.get(event) ?? []) fn(...args);
    }
  }
  return { FakeSocket, sockets: [] as FakeSocket[] };
});

vi.mock('socket.io-client', () => ({
  io: () => {
    const s = new fake.FakeSocket();
    fake.sockets.push(s);
    return s;
  },
}));

const { LiveStore } = await import('./store');

const T0 = Date.now();
const fix = (unitId: number, t: number, lon = 120.4) => ({ unitId, t, lon, lat: 30.8, speed: 1, heading: null });
const tick = (seq: number, fixes: ReturnType<typeof fix>[]) => packTick(seq, fixes).buffer;
const incident = (id: number, seq: number): IncidentV1 => ({
  v: 1, seq, id, category: 'dispute', categoryLabel: '矛盾纠纷', title: `事件${id}`, severity: 'normal', state: 'reported',
  lon: 120.4, lat: 30.8, gridCode: null, stationId: null, reportedAt: new Date(T0).toISOString(), deadlineAt: null,
  redAt: null, card: 'none', department: null, villageCode: null, duplicateOf: null, lockedBy: null, source: 'test', taskDepartments: [], kind: 'problem', aboutEventId: null, supervisionReopened: false,
});

/** fetch answering by URL; a route may hold its answer until the test lets it go. */
function routes(given: Record<string, () => Promise<unknown>>) {
  // The command snapshot (issue 5) is not what these tests are about: an empty one.
  const table: Record<string, () => Promise<unknown>> = { '/api/v1/command/live': async () => ({ dispatches: [], consultations: [], keyPeriods: [] }), ...given };
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    const route = Object.keys(table).find((prefix) => url.startsWith(prefix));
    if (!route) return { ok: false, status: 404, json: async () => ({}) };
    const body = await table[route]();
    return { ok: true, status: 200, json: async () => body };
  });
  return calls;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  fake.sockets.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('LiveStore positions', () => {
  it('takes a snapshot on connect, another after a skipped tick, and again on reconnect', async () => {
    routes({ '/api/v1/units': async () => [], '/api/v1/incidents/live': async () => ({ seq: 0, incidents: [] }) });
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    expect(socket.snapshotAcks).toHaveLength(1);

    socket.snapshotAcks[0]({ seq: 10, positions: tick(10, [fix(1, T0)]) });
    await settle();
    expect(store.unit(1)).toMatchObject({ lon: 120.4, t: T0 });
    expect(store.stats.snapshots).toBe(1);

    socket.fire('pos', tick(11, [fix(1, T0 + 1000, 120.41)]));
    expect(store.stats.tickGaps).toBe(0);
    expect(store.unit(1)?.lon).toBeCloseTo(120.41, 6);

    // Tick 12 lost: 13 is applied all the same, and a snapshot is asked for — once, however many gaps follow.
    socket.fire('pos', tick(13, [fix(2, T0 + 2000)]));
    socket.fire('pos', tick(15, [fix(3, T0 + 2000)]));
    expect(store.stats.tickGaps).toBe(2);
    expect(socket.snapshotAcks).toHaveLength(2);
    expect(store.unit(2)).not.toBeNull();
    socket.snapshotAcks[1]({ seq: 15, positions: tick(15, [fix(1, T0 + 1000, 120.41), fix(4, T0 + 1500)]) });
    await settle();
    expect(store.unit(4)).not.toBeNull();
    socket.fire('pos', tick(16, [fix(4, T0 + 3000)]));
    expect(store.stats.tickGaps).toBe(2);

    socket.fire('disconnect');
    socket.fire('connect');
    expect(socket.snapshotAcks).toHaveLength(3);
    // The server restarted: its sequence began again, which is no gap after a fresh snapshot.
    socket.snapshotAcks[2]({ seq: 1, positions: tick(1, []) });
    await settle();
    socket.fire('pos', tick(2, [fix(4, T0 + 4000)]));
    expect(store.stats.tickGaps).toBe(2);
    store.stop();
  });

  it('ignores a snapshot answered to a connection that has since dropped', async () => {
    routes({ '/api/v1/units': async () => [], '/api/v1/incidents/live': async () => ({ seq: 0, incidents: [] }) });
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    socket.fire('disconnect');
    socket.snapshotAcks[0]({ seq: 10, positions: tick(10, [fix(1, T0)]) });
    await settle();
    expect(store.unit(1)).toBeNull();
    store.stop();
  });
});

describe('LiveStore incidents', () => {
  it('keeps incidents that arrive during the list fetch when newer than it, and refetches on a gap', async () => {
    let list = deferred<unknown>();
    const calls = routes({ '/api/v1/units': async () => [], '/api/v1/incidents/live': () => list.promise });
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    expect(calls.filter((u) => u.startsWith('/api/v1/incidents/live'))).toHaveLength(1);

    socket.fire('incident', incident(6, 6));
    socket.fire('incident', incident(5, 5));
    list.resolve({ seq: 5, incidents: [1, 2, 3, 4, 5].map((id) => incident(id, 5)) });
    await settle();
    expect(store.incidents.list().map((i) => i.id).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.incidents.seq).toBe(6);
    // Only the one that came by socket after the list rings.
    expect(store.incidents.pulses(performance.now()).map((p) => p.incident.id)).toEqual([6]);

    socket.fire('incident', incident(7, 7));
    expect(store.incidents.get(7)).toBeDefined();

    list = deferred<unknown>();
    socket.fire('incident', incident(9, 9));
    expect(store.stats.incidentGaps).toBe(1);
    expect(calls.filter((u) => u.startsWith('/api/v1/incidents/live'))).toHaveLength(2);
    list.resolve({ seq: 9, incidents: [7, 8, 9].map((id) => incident(id, 9)) });
    await settle();
    expect(store.incidents.list().map((i) => i.id).sort()).toEqual([7, 8, 9]);
    store.stop();
  });

  it('refuses a malformed incident without losing the others', async () => {
    routes({ '/api/v1/units': async () => [], '/api/v1/incidents/live': async () => ({ seq: 0, incidents: [] }) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    await settle();
    socket.fire('incident', { ...incident(1, 1), severity: 'apocalyptic' });
    socket.fire('incident', incident(2, 1));
    expect(store.incidents.get(1)).toBeUndefined();
    expect(store.incidents.get(2)).toBeDefined();
    warn.mockRestore();
    store.stop();
  });
});

describe('LiveStore lifetime', () => {
  it('leaves no timer, interval or socket handler behind when stopped, and starts again', async () => {
    vi.useFakeTimers();
    routes({ '/api/v1/units': async () => { throw new Error('down'); }, '/api/v1/incidents/live': async () => ({ seq: 0, incidents: [] }) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    store.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(socket.handlers.size).toBe(0);
    store.start();
    expect(fake.sockets).toHaveLength(2);
    store.stop();
    expect(vi.getTimerCount()).toBe(0);
    warn.mockRestore();
  });
});

describe('LiveStore warnings (issue 13)', () => {
  const warning = (id: number, version: number, state: 'open' | 'acknowledged') => ({
    v: 1, id, kind: 'surge', level: 'red', hotspotClass: null, title: `预警${id}`, explanation: '近7天 12 起',
    numbers: { count: 12 }, stationId: 1, gridCode: null, category: 'policy', lon: 120.4, lat: 30.8, eventIds: [1], state,
    raisedAt: new Date(T0).toISOString(), updatedAt: new Date(T0 + version).toISOString(), acknowledgedBy: null, acknowledgedAt: null,
    convertedTo: null, version,
  });

  it('loads the list on connect, takes pushes by version, and ignores a malformed one', async () => {
    const calls = routes({
      '/api/v1/units': async () => [],
      '/api/v1/incidents/live': async () => ({ seq: 0, incidents: [] }),
      '/api/v1/warnings': async () => ({ warnings: [warning(7, 1, 'open')] }),
    });
    const store = new LiveStore();
    store.start();
    const socket = fake.sockets[0];
    socket.fire('connect');
    await settle();
    await settle();
    expect(calls.some((u) => u.startsWith('/api/v1/warnings?state=active'))).toBe(true);
    expect(store.warnings.get(7)?.state).toBe('open');

    socket.fire('warning', warning(7, 2, 'acknowledged'));
    socket.fire('warning', warning(7, 1, 'open'));
    socket.fire('warning', { ...warning(8, 1, 'open'), level: 'purple' });
    expect(store.warnings.get(7)?.state).toBe('acknowledged');
    expect(store.warnings.get(8)).toBeNull();
    store.stop();
  });
});
