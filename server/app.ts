import { Sessions } from './auth/sessions';
import { createLoginThrottle } from './auth/throttle';
import type { Bus } from './bus/bus';
import type { Config } from './config';
import type { AppContext } from './context';
import type { Db } from './db/pool';
import { ReferenceCache } from './events/reference';

/** The context every route and job is given; the server, the test stack and the benches build it the same way. */
export async function createAppContext(config: Config, db: Db, bus: Bus, database: AppContext['database']): Promise<AppContext> {
  const sessions = new Sessions(db, bus, config.sessionSecret, config.displayToken);
  await sessions.start();
  return {
    config,
    db,
    bus,
    database,
    live: null,
    reference: new ReferenceCache(db),
    sessions,
    throttle: createLoginThrottle(config.redisUrl, config.busPrefix),
  };
}

/** Stops what the context started (the session announcements, the throttle's Redis connection). */
export async function closeAppContext(app: AppContext): Promise<void> {
  await app.sessions.stop();
  await app.throttle.close();
}
