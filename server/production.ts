import { verifyPassword } from './auth/password';
import { ConfigError, DEMO_DEVICE_TOKEN, DEMO_PASSWORD } from './config';
import type { Db, Tx } from './db/pool';
import { listAccounts } from './repo/accounts';
import { DEMO_ACCOUNTS } from './seed/accounts';
import { demoApiKey } from './seed/devices';
import { hashToken } from './auth/token';
import { EXTERNAL_SOURCES } from '@/lib/contracts/events';

/** A production start refuses while any enabled demo account still has the demo password. */
export async function refuseDemoPasswords(db: Db | Tx): Promise<void> {
  const weak: string[] = [];
  const demoNames = new Set(DEMO_ACCOUNTS.map((d) => d.username));
  for (const a of (await listAccounts(db)).filter((x) => demoNames.has(x.username))) {
    if (!a.disabled && (await verifyPassword(DEMO_PASSWORD, a.passwordHash))) weak.push(a.username);
  }
  if (weak.length)
    throw new ConfigError(
      `production start refused: accounts with the demo password: ${weak.join(', ')}.\n` +
        `  Set a new password with: npm run account -- passwd <username>   (or disable the account).`,
    );
}

/** …and while a demo device token or source API key still works: their values are in the README. */
export async function refuseDemoKeys(db: Db | Tx): Promise<void> {
  const hashes = EXTERNAL_SOURCES.map((s) => hashToken(demoApiKey(s)));
  const { rows } = await db.query<{ name: string }>(
    `SELECT name FROM api_keys WHERE key_hash = ANY($1::text[]) AND revoked_at IS NULL
     UNION ALL SELECT name FROM device_tokens WHERE token_hash = $2 AND revoked_at IS NULL`,
    [hashes, hashToken(DEMO_DEVICE_TOKEN)],
  );
  if (rows.length)
    throw new ConfigError(
      `production start refused: demo keys still valid: ${rows.map((r) => r.name).join(', ')}.\n` +
        `  Revoke them: UPDATE api_keys SET revoked_at = now() …; UPDATE device_tokens SET revoked_at = now() … (see README).`,
    );
}
