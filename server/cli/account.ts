// npm run account -- create <username> <role> <display name>   |   npm run account -- passwd <username>
// The password is read from ACCOUNT_PASSWORD, never from the command line (shell history, ps).
import { DISTRICT_ROLES, Role } from '@/lib/roles';
import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD, loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { inTransaction } from '../db/pool';
import { findAccount, insertAccount } from '../repo/accounts';
import { audit } from '../repo/audit';
import { REVOKED_CHANNEL } from '../auth/sessions';
import { createRedisBus } from '../bus/redis';

function usage(message: string): never {
  console.error(`${message}
usage: ACCOUNT_PASSWORD=… npm run account -- create <username> <role> <display name>
       ACCOUNT_PASSWORD=… npm run account -- passwd <username>
roles: ${DISTRICT_ROLES.join(', ')} (station staff are people with accounts, made at /admin)`);
  process.exit(2);
}

async function main(): Promise<void> {
  const [command, username, role, ...name] = process.argv.slice(2);
  const password = process.env.ACCOUNT_PASSWORD ?? '';
  if (!username) usage('missing <username>');
  if (password.length < 10 || password === DEMO_PASSWORD) usage('ACCOUNT_PASSWORD must be at least 10 characters and not the demo password');
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrate(database.db);
    const hash = await hashPassword(password);
    const sids: string[] = [];
    await inTransaction(database.db, async (tx) => {
      if (command === 'create') {
        const r = Role.safeParse(role);
        // A station role needs a station and a person (issue 10): those are made in the browser, not here.
        if (!r.success || !DISTRICT_ROLES.includes(r.data)) usage(`role ${role} cannot be made here`);
        const id = await insertAccount(tx, { username, passwordHash: hash, role: r.data, displayName: name.join(' ') || username, stationId: null });
        await audit(tx, null, { action: 'account.create', target: `account:${id}`, detail: { username, role: r.data } });
      } else if (command === 'passwd') {
        if (!(await findAccount(tx, username))) usage(`no account ${username}`);
        await tx.query('UPDATE accounts SET password_hash = $1 WHERE username = $2', [hash, username]);
        // A new password ends the account's sessions; a running server is told below, so its sockets close too.
        const ended = await tx.query<{ id: string }>(
          `UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND account_id = (SELECT id FROM accounts WHERE username = $1) RETURNING id`,
          [username],
        );
        sids.push(...ended.rows.map((r) => r.id));
        await audit(tx, null, { action: 'account.passwd', target: username });
      } else usage(`unknown command ${command ?? ''}`);
    });
    if (sids.length && config.redisUrl) {
      const bus = await createRedisBus(config.redisUrl, config.busPrefix);
      await bus.publish(REVOKED_CHANNEL, JSON.stringify({ sids }));
      await bus.close();
    }
    console.log(`${command}: ${username} done${sids.length ? ` (${sids.length} session(s) ended)` : ''}`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error('account:', err);
  process.exit(1);
});
