import type { Config } from '../config';
import type { Bus } from './bus';
import { createMemoryBus } from './memory';
import { createRedisBus } from './redis';

export async function openBus(config: Config): Promise<Bus> {
  if (config.redisUrl) return createRedisBus(config.redisUrl, config.busPrefix);
  console.warn('[bus] REDIS_URL not set: using the in-process bus — run ONE server process only.');
  return createMemoryBus(config.busPrefix);
}
