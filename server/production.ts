import { verifyPassword } from './auth/password';
import { ConfigError, DEMO_PASSWORD } from './config';
import type { Db, Tx } from './db/pool';
import { listAccounts } from './repo/accounts';
import { DEMO_ACCOUNTS } from './seed/accounts';

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
