import type { Sessions } from './auth/sessions';
import type { LoginThrottle } from './auth/throttle';
import type { Bus } from './bus/bus';
import type { Config } from './config';
import type { Db } from './db/pool';
import type { ReferenceCache } from './events/reference';
import type { Live } from './live/index';
import type { OutboxPublisher } from './outbox/publisher';

/** What every route and job is given: configuration and the two connections. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: Bus;
  database: { kind: 'embedded-pglite' | 'postgresql'; describe: string };
  /** The live hot path, once started (after Socket.IO exists). */
  live: Live | null;
  /** Taxonomy, time limits, holidays, departments, village names (server/events/reference). */
  reference: ReferenceCache;
  /** Server-side sessions: every request and socket event is checked against them (issue 10). */
  sessions: Sessions;
  throttle: LoginThrottle;
  /** Sends what each commit wrote to the outbox (issue 11). */
  outbox: OutboxPublisher;
}
