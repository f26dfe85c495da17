import type { Bus } from './bus/bus';
import type { Config } from './config';
import type { Db } from './db/pool';

/** What every route and job is given: configuration and the two connections. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: Bus;
  database: { kind: 'embedded-pglite' | 'postgresql'; describe: string };
}
