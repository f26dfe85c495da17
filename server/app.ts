import { Sessions } from './auth/sessions';
import { createLoginThrottle } from './auth/throttle';
import type { Bus } from './bus/bus';
import type { Config } from './config';
import type { AppContext } from './context';
import type { Db } from './db/pool';
import { ReferenceCache } from './events/reference';
import { OutboxPublisher } from './outbox/publisher';

/** The context every route and job is given; the server, the test stack and the benches build it the same way. */
export async function createAppContext(config: Config, db: Db, bus: Bus, database: AppContext['database']): Promise<AppContext> {
  const sessions = new Sessions(db, bus, config.sessionSecret, config.displayToken);
  await sessions.start();
  const outbox = new OutboxPublisher(db, bus, config.databaseUrl ?? null);
  await outbox.start();
  return {
    config,
    db,
    bus,
    database,
    live: null,
    reference: new ReferenceCache(db),
    sessions,
    throttle: createLoginThrottle(config.redisUrl, config.busPrefix),
    outbox,
  };
}

/** Stops what the context started (the session announcements, the throttle's Redis connection) and sends what the outbox still holds. */
export async function closeAppContext(app: AppContext): Promise<void> {
  await app.outbox.stop();
  await app.sessions.stop();
  await app.throttle.close();
}
