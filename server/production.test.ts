import { describe, expect, it } from 'vitest';
import { ConfigError } from './config';
import { refuseDemoPasswords } from './production';
import { testDb } from './test/db';

const db = testDb();

describe('production start', () => {
  it('refuses while demo accounts keep the demo password, naming them', async () => {
    const err = await refuseDemoPasswords(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/deputy/);
    expect((err as Error).message).toMatch(/npm run account -- passwd/);
  });

  it('passes once no enabled demo account has the demo password', async () => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE accounts SET disabled = true`);
      // Same connection, same transaction: the check sees the change, nothing else ever does.
      await expect(refuseDemoPasswords(client)).resolves.toBeUndefined();
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
