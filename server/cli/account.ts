// npm run account -- create <username> <role> <display name>   |   npm run account -- passwd <username>
// The password is read from ACCOUNT_PASSWORD, never from the command line (shell history, ps).
import { Role } from '@/lib/roles';
import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD, loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { inTransaction } from '../db/pool';
import { findAccount, insertAccount } from '../repo/accounts';
import { audit } from '../repo/audit';

function usage(message: string): never {
  console.error(`${message}
usage: ACCOUNT_PASSWORD=… npm run account -- create <username> <role> <display name>
       ACCOUNT_PASSWORD=… npm run account -- passwd <username>
roles: ${Role.options.filter((r) => r !== 'display').join(', ')}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const [command, username, role, ...name] = process.argv.slice(2);
  const password = process.env.ACCOUNT_PASSWORD ?? '';
  if (!username) usage('missing <username>');
  if (password.length < 10 || password === DEMO_PASSWORD) usage('ACCOUNT_PASSWORD must be at least 10 characters and not the demo password');
  const database = await openDatabase(loadConfig());
  try {
    await migrate(database.db);
    const hash = await hashPassword(password);
    await inTransaction(database.db, async (tx) => {
      if (command === 'create') {
        const r = Role.safeParse(role);
        if (!r.success || r.data === 'display') usage(`unknown role ${role}`);
        const id = await insertAccount(tx, { username, passwordHash: hash, role: r.data, displayName: name.join(' ') || username, stationId: null });
        await audit(tx, null, { action: 'account.create', target: `account:${id}`, detail: { username, role: r.data } });
      } else if (command === 'passwd') {
        if (!(await findAccount(tx, username))) usage(`no account ${username}`);
        await tx.query('UPDATE accounts SET password_hash = $1 WHERE username = $2', [hash, username]);
        await audit(tx, null, { action: 'account.passwd', target: username });
      } else usage(`unknown command ${command ?? ''}`);
    });
    console.log(`${command}: ${username} done`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error('account:', err);
  process.exit(1);
});
