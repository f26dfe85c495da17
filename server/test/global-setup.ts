import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { isEmpty, seedDemo } from '../seed/demo';
import { TEST_DATABASE_URL } from './env';

/** Migrates and seeds the test database once for every test file (npm test created it empty). */
export default async function setup(): Promise<void> {
  const db = createPool(TEST_DATABASE_URL, 2);
  try {
    await migrate(db);
    if (await isEmpty(db)) await seedDemo(db);
  } finally {
    await db.end();
  }
}
