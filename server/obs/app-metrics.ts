import { Counter, Gauge, Registry } from 'prom-client';
import { REJECT_REASONS } from '@/lib/contracts/live';
import type { AppContext } from '../context';
import { outboxDepth } from '../outbox/outbox';
import { registry } from './metrics';

/**
 * Series read from one app's own objects at scrape time: the ingest's and history writer's counts
 * (they keep plain numbers; nothing on the hot path changes for metrics) and the database pool.
 * One registry per app, so two stacks in one test process never share or clash.
 */
function appRegistry(app: AppContext): Registry {
  const r = new Registry();
  const registers = [r];

  new Counter({
    name: 'liandong_positions_accepted_total',
    help: 'Positions accepted by this process’s ingest, from every source.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.ingest.counters.accepted ?? 0);
    },
  });
  new Counter({
    name: 'liandong_positions_rejected_total',
    help: 'Positions refused by this process’s ingest, by reason.',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const counters = app.live?.ingest.counters;
      for (const reason of REJECT_REASONS) this.inc({ reason }, counters?.[reason] ?? 0);
    },
  });
  new Counter({
    name: 'liandong_fanout_positions_in_total',
    help: 'Positions this process received from the backbone (every process receives all of them).',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.fanout.positionsIn ?? 0);
    },
  });
  new Counter({
    name: 'liandong_fanout_positions_out_total',
    help: 'Positions this process sent to its district feed, after coalescing per tick.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.fanout.positionsOut ?? 0);
    },
  });

  new Counter({
    name: 'liandong_history_rows_written_total',
    help: 'Position history rows written to the database.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.history.written ?? 0);
    },
  });
  new Counter({
    name: 'liandong_history_flush_failures_total',
    help: 'History flushes that failed (their rows are kept for the next flush).',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.history.failed ?? 0);
    },
  });
  new Counter({
    name: 'liandong_history_rows_set_aside_total',
    help: 'Position history rows PostgreSQL refused, kept in positions_set_aside instead.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.history.setAside ?? 0);
    },
  });
  new Counter({
    name: 'liandong_history_rows_dropped_total',
    help: 'Position history rows given up: the database was away longer than the buffer holds.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.history.dropped ?? 0);
    },
  });
  new Gauge({
    name: 'liandong_history_rows_pending',
    help: 'Position history rows waiting for the next flush.',
    registers,
    collect() {
      this.set(app.live?.history.pending ?? 0);
    },
  });
  new Counter({
    name: 'liandong_positions_unpublished_total',
    help: 'Accepted positions stored but not shown live because Redis was away.',
    registers,
    collect() {
      this.reset();
      this.inc(app.live?.ingest.unpublished ?? 0);
    },
  });

  // The outbox (issue 11): messages that follow a commit, waiting for Redis.
  new Gauge({
    name: 'liandong_outbox_depth',
    help: 'Messages committed and not yet sent to Redis (all processes share the outbox).',
    registers,
    async collect() {
      this.set(await outboxDepth(app.db).catch(() => -1));
    },
  });
  new Counter({
    name: 'liandong_outbox_sent_total',
    help: 'Messages this process sent from the outbox.',
    registers,
    collect() {
      this.reset();
      this.inc(app.outbox.stats.sent);
    },
  });
  new Counter({
    name: 'liandong_outbox_failures_total',
    help: 'Attempts of this process to send from the outbox that failed (Redis or the database away).',
    registers,
    collect() {
      this.reset();
      this.inc(app.outbox.stats.failures);
    },
  });
  new Counter({
    name: 'liandong_redis_reconnects_total',
    help: 'Times this process lost its Redis connection and connected again.',
    registers,
    collect() {
      this.reset();
      this.inc(app.bus.stats.reconnects);
    },
  });

  // node-postgres keeps these counts itself; a waiting request means every client is busy.
  new Gauge({
    name: 'liandong_db_pool_clients',
    help: 'Database connections of the pool, open (total) and idle among them.',
    labelNames: ['state'],
    registers,
    collect() {
      this.set({ state: 'total' }, app.db.totalCount);
      this.set({ state: 'idle' }, app.db.idleCount);
    },
  });
  new Gauge({
    name: 'liandong_db_pool_waiting',
    help: 'Queries waiting for a free database connection.',
    registers,
    collect() {
      this.set(app.db.waitingCount);
    },
  });
  return r;
}

const byApp = new WeakMap<AppContext, Registry>();

/** What /metrics serves for `app`: the process's series and the app's own. */
export async function scrape(app: AppContext): Promise<{ contentType: string; text: string }> {
  let own = byApp.get(app);
  if (!own) {
    own = appRegistry(app);
    byApp.set(app, own);
  }
  const merged = Registry.merge([registry, own]);
  return { contentType: merged.contentType, text: await merged.metrics() };
}
