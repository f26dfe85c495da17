import { afterAll } from 'vitest';
import { createPool, type Db } from '../db/pool';
import { TEST_DATABASE_URL } from './env';

/** A pool on the seeded test database, closed after the file's tests. */
export function testDb(max = 4): Db {
  const db = createPool(TEST_DATABASE_URL, max);
  afterAll(() => db.end());
  return db;
}
