import { LoginInput, type Me } from '@/lib/contracts/auth';
import { ROLE_LABEL, homeOf } from '@/lib/roles';
import { verifyPassword } from '../../auth/password';
import { clearedSessionCookie, encodeSession, sessionCookie, type Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { findAccount } from '../../repo/accounts';
import { audit } from '../../repo/audit';
import { HttpError, unauthorized } from '../errors';
import { readBody, type Router } from '../router';
import { DEMO_ACCOUNTS } from '../../seed/accounts';
import { DEMO_PASSWORD } from '../../config';

function me(s: Pick<Session, 'uid' | 'name' | 'role' | 'stationId'>): Me {
  return { accountId: s.uid, name: s.name, role: s.role, roleLabel: ROLE_LABEL[s.role], stationId: s.stationId, home: homeOf(s.role) };
}

export function authRoutes(router: Router, app: AppContext): void {
  const secure = app.config.mode === 'production';

  router.add('POST', '/api/v1/auth/login', 'public', async ({ req, ip }) => {
    const input = await readBody(req, LoginInput);
    const account = await findAccount(app.db, input.username);
    const ok = account && !account.disabled && (await verifyPassword(input.password, account.passwordHash));
    if (!account || !ok) {
      await audit(app.db, null, { action: 'auth.login_failed', target: input.username, ip });
      // One message for unknown user and wrong password: the form must not reveal which accounts exist.
      throw new HttpError(401, 'bad_credentials', '用户名或密码错误');
    }
    const session = { uid: account.id, role: account.role, name: account.displayName, stationId: account.stationId };
    const { value, maxAge } = encodeSession(app.config.sessionSecret, session);
    await audit(app.db, session, { action: 'auth.login', target: account.username, ip });
    return { body: me(session), headers: { 'set-cookie': sessionCookie(value, maxAge, secure) } };
  });

  router.add('POST', '/api/v1/auth/logout', 'public', async ({ session, ip }) => {
    if (session) await audit(app.db, session, { action: 'auth.logout', ip });
    return { body: { ok: true }, headers: { 'set-cookie': clearedSessionCookie() } };
  });

  // Only a demo advertises its logins; a production server answers 404 as for any unknown route.
  router.add('GET', '/api/v1/auth/demo-accounts', 'public', async () => {
    if (app.config.mode !== 'demo') throw new HttpError(404, 'not_found', '未找到');
    return { body: { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map((a) => ({ ...a, roleLabel: ROLE_LABEL[a.role] })) } };
  });

  router.add('GET', '/api/v1/auth/me', 'public', async ({ session }) => {
    if (!session) throw unauthorized();
    return { body: me(session) };
  });
}
