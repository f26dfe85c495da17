import { io, type Socket } from 'socket.io-client';
import { http } from '@/app/http';
import { Observable } from '@/app/observable';
import { isRefusal, leaveIfSignedOut } from './signedOut';
import { IncidentV1 } from '@/lib/contracts/live';
import { readTick, type TickView } from '@/lib/live/pack';
import { UNIT_KINDS, UNIT_KIND_LABEL, type UnitKind } from '@/lib/units';
import { CommandBook } from './command';
import { WarningBook, readWarningList } from './warnings';
import { WarningV1 } from '@/lib/contracts/warnings';
import { IncidentBook, type LiveIncident } from './incidents';
import { Hello, LiveIncidents, readSnapshotReply, UnitList, type UnitInfo } from './schemas';
import { KIND_SLOTS, UNKNOWN_KIND, UnitTable, type UnitState, LIVE, STALE, OFFLINE } from './unitTable';

interface ServerEvents {
  hello: (hello: unknown) => void;
  pos: (tick: unknown) => void;
  incident: (incident: unknown) => void;
  command: (push: unknown) => void;
  warning: (push: unknown) => void;
  resync: () => void;
}
interface ClientEvents {
  snapshot: (ack: (reply: unknown) => void) => void;
}

/** Staleness is a matter of minutes; a few seconds' lag in noticing it is invisible. */
const SWEEP_MS = 5000;
/** Panels re-render at most this often, however fast ticks come; the map does not wait for them. */
const NOTIFY_MS = 500;
/** Overdue and "today" move with the clock alone; panels hear of it this often even when nothing arrives. */
const CLOCK_NOTIFY_MS = 30_000;
const SNAPSHOT_TIMEOUT_MS = 10_000;
const RETRY_MS = 5000;
/** Only new incidents come by socket (contract v1); state changes reach the wall by this refetch. */
const INCIDENTS_REFRESH_MS = 2 * 60_000;
const UNITS_REFRESH_MS = 10 * 60_000;
/** Warnings come by socket; the list is refetched now and then in case one was missed (S9). */
const WARNINGS_REFRESH_MS = 2 * 60_000;
/** A fix from a unit the directory lacks reloads it, but no more often than this. */
const UNKNOWN_UNIT_RELOAD_MS = 60_000;
/** Incidents held while a refetch runs; beyond this the oldest go (the refetch has them anyway). */
const MAX_BUFFERED = 1000;

export interface KindCount {
  /** null: units of a kind this build of the wall does not know. */
  kind: UnitKind | null;
  label: string;
  online: number;
  total: number;
}

export interface UnitCounts {
  /** Units in the directory. */
  known: number;
  /** Units that have reported at least once. */
  reporting: number;
  online: number;
  stale: number;
  offline: number;
  byKind: KindCount[];
}

/** What the panels show; a new object only when some of it changed. */
export interface LiveView {
  connected: boolean;
  /** A snapshot has been applied since the last (re)connect: the map holds every known position. */
  synced: boolean;
  unitsLoaded: boolean;
  incidentsLoaded: boolean;
  /** Server time, epoch ms, when the view was made. */
  now: number;
  units: UnitCounts;
  /** Today's and every open incident, newest first. */
  incidents: readonly LiveIncident[];
  warningsLoaded: boolean;
  /** Early warnings held (issue 13), most urgent first; the active ones lead. */
  warnings: readonly WarningV1[];
}

export interface UnitDetails {
  id: number;
  slot: number;
  info: UnitInfo | null;
  kindLabel: string;
  state: UnitState;
  lon: number;
  lat: number;
  /** Fix time, epoch ms. */
  t: number;
  /** m/s */
  speed: number;
  heading: number | null;
}

export const STATE_LABEL: Record<UnitState, string> = { [LIVE]: '在线', [STALE]: '信号弱', [OFFLINE]: '离线' };

function kindIndex(kind: string): number {
  const i = (UNIT_KINDS as readonly string[]).indexOf(kind);
  return i < 0 ? UNKNOWN_KIND : i;
}

/**
 * The wall's one live connection: unit positions in typed columns (UnitTable), incidents by id
 * (IncidentBook), and the recovery that keeps both whole across dropped ticks and reconnects.
 * Framework-free; React reads it through useLiveStore, map layers read the columns directly.
 */
export class LiveStore extends Observable {
  readonly table = new UnitTable();
  readonly incidents = new IncidentBook();
  /** Dispatches, consultations and key periods (issue 5), on the same connection. */
  readonly command = new CommandBook();
  /** Early warnings (issue 13, S9 item 4). */
  readonly warnings = new WarningBook();
  /** Counters for soak runs and the benchmark. */
  readonly stats = { ticks: 0, tickGaps: 0, snapshots: 0, incidentGaps: 0, incidentSyncs: 0 };

  private directory = new Map<number, UnitInfo>();
  private totalsByKind = new Int32Array(KIND_SLOTS);
  private unitsLoaded = false;
  private unitsLoading = false;
  private unitsLoadedAt = Number.NEGATIVE_INFINITY;

  private socket: Socket<ServerEvents, ClientEvents> | null = null;
  private connected = false;
  private synced = false;
  /** Sequence of the last tick or snapshot taken on this connection; -1: none yet. */
  private lastSeq = -1;
  private snapshotPending = false;
  /** Server clock minus ours, from `hello`: staleness is judged on the server's clock, like fix times. */
  private clockOffset = 0;

  private incidentsLoaded = false;
  private warningsLoaded = false;
  private warningsSeq = 0;
  private incidentSyncing = false;
  private incidentSyncAgain = false;
  private buffered: { incident: IncidentV1; at: number }[] = [];

  /** Bumped by stop() and on every (dis)connect: answers to older requests are dropped. */
  private runId = 0;
  private connectionId = 0;
  private abort: AbortController | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private intervals: ReturnType<typeof setInterval>[] = [];

  private view: LiveView;

  constructor() {
    super();
    this.view = this.buildView();
  }

  /** Connects and loads; safe to call again after stop() (React runs effects twice in development). */
  start(): void {
    if (this.socket) return;
    this.runId += 1;
    this.abort = new AbortController();
    // forceNew: a restarted store must not pick up the manager of the socket it just closed.
    // An unattended wall reconnects forever (issue 13): no attempt limit, at most 10 s apart.
    const socket: Socket<ServerEvents, ClientEvents> = io('/live', {
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.resetConnection(true);
      this.requestSnapshot();
      this.syncIncidents();
      void this.syncCommand();
      void this.syncWarnings();
    });
    socket.on('disconnect', (reason) => {
      this.resetConnection(false);
      if (isRefusal(reason)) void leaveIfSignedOut().then((left) => left || this.later(() => socket.connect(), RETRY_MS));
    });
    socket.on('connect_error', (error) => {
      console.warn('[live] cannot connect:', error.message);
      if (isRefusal(error)) void leaveIfSignedOut();
      // The panels should not stay empty because the socket is refused; HTTP may still answer.
      if (!this.incidentsLoaded) this.syncIncidents();
      // A refusal by the server's middleware ends the client's own retrying; an unattended wall keeps trying.
      if (!socket.active) this.later(() => socket.connect(), RETRY_MS * 2);
    });
    socket.on('hello', (raw) => {
      const hello = Hello.safeParse(raw);
      const serverTime = hello.success ? Date.parse(hello.data.serverTime) : Number.NaN;
      if (Number.isFinite(serverTime)) this.clockOffset = serverTime - Date.now();
    });
    socket.on('pos', (raw) => {
      const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw)
        : ArrayBuffer.isView(raw) ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
        : null;
      try {
        if (!bytes) throw new Error('tick is not binary');
        this.applyTick(bytes);
      } catch (error) {
        console.warn('[live] bad tick:', error);
        this.requestSnapshot();
      }
    });
    socket.on('incident', (raw) => this.receiveIncident(raw));
    socket.on('command', (raw) => this.command.receive(raw));
    socket.on('warning', (raw) => this.receiveWarning(raw));
    // The server's backbone was away (issue 11): messages of that time never came; reload as on a reconnect.
    socket.on('resync', () => {
      this.requestSnapshot();
      this.syncIncidents();
      void this.syncCommand();
      void this.syncWarnings();
    });

    this.intervals.push(
      setInterval(() => this.sweep(), SWEEP_MS),
      setInterval(() => this.syncIncidents(), INCIDENTS_REFRESH_MS),
      setInterval(() => void this.loadUnits(), UNITS_REFRESH_MS),
      setInterval(() => void this.syncCommand(), INCIDENTS_REFRESH_MS),
      setInterval(() => void this.syncWarnings(), WARNINGS_REFRESH_MS),
    );
    void this.loadUnits();
  }

  /** Disconnects and clears every timer and request; the data stays for a later start(). */
  stop(): void {
    this.runId += 1;
    this.connectionId += 1;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.abort?.abort();
    this.abort = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const i of this.intervals) clearInterval(i);
    this.intervals = [];
    this.cancelNotify();
    this.incidentSyncing = false;
    this.buffered = [];
    this.unitsLoading = false;
    this.snapshotPending = false;
    this.connected = false;
    this.synced = false;
    this.lastSeq = -1;
  }

  readonly getState = (): LiveView => this.view;

  /** Now on the server's clock, epoch ms. */
  serverNow(): number {
    return Date.now() + this.clockOffset;
  }

  /**
   * Applies one binary tick (lib/live/pack.ts). O(units in the tick), and allocation-free apart
   * from the tick's own reader and a unit's first appearance. A tick that skips a sequence number
   * means one was lost: it is applied anyway (every fix carries its time) and a snapshot fills the gap.
   */
  applyTick(bytes: Uint8Array): void {
    const tick = readTick(bytes);
    this.applyFixes(tick);
    this.stats.ticks += 1;
    if (this.lastSeq >= 0 && tick.seq > this.lastSeq + 1) {
      this.stats.tickGaps += 1;
      this.requestSnapshot();
    }
    if (tick.seq > this.lastSeq) this.lastSeq = tick.seq;
  }

  /** Applies the server's full picture, current to tick `seq`. */
  applySnapshot(seq: number, bytes: Uint8Array): void {
    this.applyFixes(readTick(bytes));
    if (seq > this.lastSeq) this.lastSeq = seq;
    this.stats.snapshots += 1;
    if (!this.synced) {
      this.synced = true;
      this.changed();
    }
  }

  unitInfo(id: number): UnitInfo | null {
    return this.directory.get(id) ?? null;
  }

  /** A unit's latest fix and standing, or null before its first fix. For cards and tests, not per frame. */
  unit(id: number): UnitDetails | null {
    const slot = this.table.slotOf(id);
    return slot < 0 ? null : this.unitAt(slot);
  }

  unitAt(slot: number): UnitDetails | null {
    const t = this.table;
    if (slot < 0 || slot >= t.count) return null;
    const id = t.ids[slot];
    const info = this.directory.get(id) ?? null;
    const kind = t.kind[slot];
    const heading = t.heading[slot];
    return {
      id,
      slot,
      info,
      kindLabel: kind < UNIT_KINDS.length ? UNIT_KIND_LABEL[UNIT_KINDS[kind]] : '其他',
      state: t.state[slot] as UnitState,
      lon: t.position[slot * 2],
      lat: t.position[slot * 2 + 1],
      t: t.fixTime[slot],
      speed: t.speed[slot],
      heading: Number.isNaN(heading) ? null : heading,
    };
  }

  private applyFixes(tick: TickView): void {
    const t = this.table;
    const counts = t.countVersion;
    t.begin(performance.now(), this.serverNow());
    tick.forEach(t.applyFix);
    if (t.countVersion !== counts) this.changed();
    if (t.unknownSeen && this.unitsLoaded && performance.now() - this.unitsLoadedAt > UNKNOWN_UNIT_RELOAD_MS) void this.loadUnits();
  }

  private resetConnection(connected: boolean): void {
    this.connectionId += 1;
    this.connected = connected;
    this.synced = false;
    this.lastSeq = -1;
    this.snapshotPending = false;
    this.changed();
  }

  private requestSnapshot(): void {
    const socket = this.socket;
    if (!socket?.connected || this.snapshotPending) return;
    this.snapshotPending = true;
    const connection = this.connectionId;
    socket
      .timeout(SNAPSHOT_TIMEOUT_MS)
      .emitWithAck('snapshot')
      .then((reply) => {
        if (connection !== this.connectionId) return;
        this.snapshotPending = false;
        const snapshot = readSnapshotReply(reply);
        if (!snapshot) throw new Error('malformed snapshot');
        this.applySnapshot(snapshot.seq, snapshot.bytes);
      })
      .catch((error: unknown) => {
        if (connection !== this.connectionId) return;
        this.snapshotPending = false;
        console.warn('[live] snapshot failed:', error);
        this.later(() => this.requestSnapshot(), RETRY_MS);
      });
  }

  private receiveIncident(raw: unknown): void {
    const parsed = IncidentV1.safeParse(raw);
    if (!parsed.success) {
      console.warn('[live] malformed incident:', parsed.error.issues[0]?.message);
      return;
    }
    const incident = parsed.data;
    const at = performance.now();
    const book = this.incidents;
    if (!this.incidentSyncing && book.seq >= 0 && incident.seq > book.seq + 1) {
      this.stats.incidentGaps += 1;
      this.syncIncidents();
    }
    if (this.incidentSyncing) {
      if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
      this.buffered.push({ incident, at });
      return;
    }
    book.upsert(incident, at);
    this.changed();
  }

  /** Refetches the incident list; incidents arriving meanwhile wait and are applied if newer than it. */
  private syncIncidents(): void {
    if (this.incidentSyncing) {
      this.incidentSyncAgain = true;
      return;
    }
    this.incidentSyncing = true;
    void this.runIncidentSync();
  }

  private async runIncidentSync(): Promise<void> {
    const run = this.runId;
    this.incidentSyncAgain = false;
    try {
      const body = await http.get('/api/v1/incidents/live', { signal: this.abort?.signal, schema: LiveIncidents });
      if (run !== this.runId) return;
      this.incidents.replace(body.incidents, body.seq);
      for (const { incident, at } of this.buffered) if (incident.seq > body.seq) this.incidents.upsert(incident, at);
      this.buffered = [];
      this.incidentsLoaded = true;
      this.stats.incidentSyncs += 1;
      this.changed();
      // Connected (or reconnected) while this fetch ran: what it returned may predate the socket.
      if (this.incidentSyncAgain) void this.runIncidentSync();
      else this.incidentSyncing = false;
    } catch (error) {
      if (run !== this.runId) return;
      console.warn('[live] incidents:', error);
      // Still syncing: incidents keep waiting in the buffer until a fetch succeeds.
      this.later(() => void this.runIncidentSync(), RETRY_MS);
    }
  }

  private async syncCommand(): Promise<void> {
    const run = this.runId;
    try {
      const body = await http.get('/api/v1/command/live', { signal: this.abort?.signal });
      if (run === this.runId) this.command.apply(body);
    } catch (error) {
      if (run !== this.runId) return;
      console.warn('[live] command:', error);
      this.later(() => void this.syncCommand(), RETRY_MS);
    }
  }

  /** A warning as pushed by the socket or answered by an action; anything not a WarningV1 is dropped. */
  receiveWarning(raw: unknown): void {
    const parsed = WarningV1.safeParse(raw);
    if (!parsed.success) {
      console.warn('[live] malformed warning:', parsed.error.issues[0]?.path.join('.'), parsed.error.issues[0]?.message);
      return;
    }
    // Rare and urgent (S9): shown at once rather than on the panels' throttled beat.
    if (this.warnings.upsert(parsed.data)) this.notify();
  }

  /** Loads the active warnings; a later call supersedes an earlier one still in flight. */
  async syncWarnings(): Promise<void> {
    const run = this.runId;
    const seq = ++this.warningsSeq;
    try {
      const body = await http.get('/api/v1/warnings?state=active', { signal: this.abort?.signal });
      if (run !== this.runId || seq !== this.warningsSeq) return;
      const { warnings, rejected } = readWarningList(body);
      if (rejected !== 0) console.warn('[live] warnings: unreadable items', rejected);
      this.warnings.replace(warnings);
      this.warningsLoaded = true;
      this.changed();
    } catch (error) {
      if (run !== this.runId || seq !== this.warningsSeq) return;
      console.warn('[live] warnings:', error);
      this.later(() => void this.syncWarnings(), RETRY_MS * 6);
    }
  }

  private async loadUnits(): Promise<void> {
    if (this.unitsLoading) return;
    this.unitsLoading = true;
    const run = this.runId;
    try {
      const list = await http.get('/api/v1/units', { signal: this.abort?.signal, schema: UnitList });
      if (run !== this.runId) return;
      this.directory = new Map(list.map((u) => [u.id, u]));
      this.totalsByKind.fill(0);
      for (const u of list) this.totalsByKind[kindIndex(u.kind)] += 1;
      const directory = this.directory;
      this.table.setKinds((id) => {
        const u = directory.get(id);
        return u ? kindIndex(u.kind) : undefined;
      });
      this.table.unknownSeen = false;
      this.unitsLoaded = true;
      this.unitsLoadedAt = performance.now();
      this.changed();
    } catch (error) {
      if (run !== this.runId) return;
      console.warn('[live] units:', error);
      this.later(() => void this.loadUnits(), RETRY_MS);
    } finally {
      if (run === this.runId) this.unitsLoading = false;
    }
  }

  private sweep(): void {
    const now = this.serverNow();
    const states = this.table.sweep(now);
    const pruned = this.incidents.prune(now, performance.now());
    this.command.prune(now);
    if (states || pruned || Date.now() - this.lastNotifiedAt > CLOCK_NOTIFY_MS) this.changed();
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Something the panels show changed: rebuild the view soon, once for any number of changes. */
  /** Throttled with a leading edge: the first change after a quiet spell (a new incident) shows at once. */
  private changed(): void {
    this.notifyAtMost(NOTIFY_MS);
  }

  protected override notify(): void {
    this.view = this.buildView();
    super.notify();
  }

  private buildView(): LiveView {
    const t = this.table;
    const byKind: KindCount[] = UNIT_KINDS.map((kind, k) => ({
      kind,
      label: UNIT_KIND_LABEL[kind],
      online: t.onlineByKind[k],
      total: this.totalsByKind[k],
    }));
    if (this.totalsByKind[UNKNOWN_KIND] > 0 || t.onlineByKind[UNKNOWN_KIND] > 0) {
      byKind.push({ kind: null, label: '其他', online: t.onlineByKind[UNKNOWN_KIND], total: this.totalsByKind[UNKNOWN_KIND] });
    }
    return {
      connected: this.connected,
      synced: this.synced,
      unitsLoaded: this.unitsLoaded,
      incidentsLoaded: this.incidentsLoaded,
      now: this.serverNow(),
      units: {
        known: this.directory.size,
        reporting: t.count,
        online: t.stateCount[LIVE],
        stale: t.stateCount[STALE],
        offline: t.stateCount[OFFLINE],
        byKind,
      },
      incidents: this.incidents.list(),
      warningsLoaded: this.warningsLoaded,
      warnings: this.warnings.list(),
    };
  }
}
