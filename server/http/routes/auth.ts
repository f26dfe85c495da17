import { LoginInput, Me, SetupInput } from '@/lib/contracts/auth';
import { ROLE_LABEL, homeOf } from '@/lib/roles';
import { burnVerify, hashPassword, needsRehash, verifyPassword } from '../../auth/password';
import { clearedSessionCookie, sessionCookie, type Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { findAccount, insertAccount } from '../../repo/accounts';
import { needsFirstAdmin, setupTokenValid, spendSetupToken } from '../../auth/setup';
import { audit } from '../../repo/audit';
import { DomainError, unauthorized } from '../../errors';
import { readBody, type Router } from '../router';
import { DEMO_ACCOUNTS } from '../../seed/accounts';
import { DEMO_PASSWORD } from '../../config';

const SET_COOKIE = { 'Set-Cookie': { description: '会话 Cookie（HttpOnly）', schema: { type: 'string' } } };

function me(s: Pick<Session, 'uid' | 'name' | 'role' | 'stationId'>): Me {
  return { accountId: s.uid, name: s.name, role: s.role, roleLabel: ROLE_LABEL[s.role], stationId: s.stationId, home: homeOf(s.role) };
}

export function authRoutes(router: Router, app: AppContext): void {
  const secure = app.config.mode === 'production';

  router.add('POST', '/api/v1/auth/login', 'public', {
    doc: {
      summary: '登录',
      description: '用户名与密码登录，成功后以 Set-Cookie 设置会话。同一用户名或同一地址失败过多时答 429。',
      body: LoginInput,
      responses: { 200: { description: '已登录', schema: Me, headers: SET_COOKIE } },
      errors: { 401: '用户名或密码错误（账号不存在、密码错误与账号停用同一答复）', 429: '登录失败次数过多：按 Retry-After 的秒数后再试' },
    },
  }, async ({ req, ip }) => {
    const input = await readBody(req, LoginInput);
    await app.throttle.attempt(input.username, ip);
    const account = await findAccount(app.db, input.username);
    // An unknown name costs the same hash as a known one: timing must not reveal which accounts exist.
    const ok = account ? await verifyPassword(input.password, account.passwordHash) : await burnVerify(input.password);
    if (!account || !ok || account.disabled) {
      await audit(app.db, null, { action: 'auth.login_failed', target: input.username, detail: account?.disabled && ok ? { disabled: true } : undefined, ip });
      // One message for unknown user, wrong password and a disabled account: the form must not reveal which accounts exist.
      throw new DomainError('unauthorized', 'bad_credentials', '用户名或密码错误');
    }
    await app.throttle.succeeded(input.username, ip);
    const rehash = needsRehash(account.passwordHash) ? await hashPassword(input.password) : null;
    const made = await inTransaction(app.db, async (tx) => {
      if (rehash) await tx.query(`UPDATE accounts SET password_hash = $2 WHERE id = $1 AND password_hash = $3`, [account.id, rehash, account.passwordHash]);
      const created = await app.sessions.create(tx, { accountId: account.id, displayId: null, role: account.role, name: account.displayName, stationId: account.stationId }, ip);
      await audit(tx, created.session, { action: 'auth.login', target: account.username, detail: rehash ? { rehashed: true } : undefined, ip });
      return created;
    });
    return { body: me(made.session), headers: { 'set-cookie': sessionCookie(made.token, made.maxAge, secure) } };
  });

  // Ends this session on the server (not only the cookie): a copied cookie stops working too.
  router.add('POST', '/api/v1/auth/logout', 'public', {
    doc: {
      summary: '退出登录',
      description: '在服务端结束本会话（复制的 Cookie 也随之失效）并清除 Cookie；未登录时同样答 200。',
      responses: { 200: { description: '已退出', schema: { type: 'object', properties: { ok: { const: true } }, required: ['ok'] }, headers: SET_COOKIE } },
    },
  }, async ({ session, ip }) => {
    if (session) {
      const ended = await inTransaction(app.db, async (tx) => {
        const sids = await app.sessions.revoke(tx, { sid: session.sid });
        await audit(tx, session, { action: 'auth.logout', ip });
        return sids;
      });
      await app.sessions.announce(ended);
    }
    return { body: { ok: true }, headers: { 'set-cookie': clearedSessionCookie() } };
  });

  // The one-time link printed by an empty production server: creates the first administrator and signs them in.
  router.add('POST', '/api/v1/setup', 'public', {
    doc: {
      summary: '初始化首个管理员',
      description: '空的生产系统启动时打印一次性链接；凭其中的令牌创建首个系统管理员并登录。令牌用过即失效。',
      body: SetupInput,
      responses: { 201: { description: '已创建并登录', schema: Me, headers: SET_COOKIE } },
      errors: { 403: '初始化链接无效、已使用或已过期', 429: '尝试次数过多：按 Retry-After 的秒数后再试' },
    },
  }, async ({ req, ip }) => {
    const input = await readBody(req, SetupInput);
    if (input.password === DEMO_PASSWORD) throw new DomainError('invalid', 'invalid', '不能使用演示密码', [{ path: 'body.password', message: '不能使用演示密码' }]);
    // Counted per address under a name no account can have, so nobody can keep the operator's link locked.
    await app.throttle.attempt(`\u0000setup:${ip}`, ip);
    const refused = () => new DomainError('forbidden', 'setup_refused', '初始化链接无效、已使用或已过期；重启服务会打印新的链接');
    // The cheap check first: a stranger's request costs no password hash.
    if (!(await setupTokenValid(app.db, input.token))) throw refused();
    const passwordHash = await hashPassword(input.password);
    const made = await inTransaction(app.db, async (tx) => {
      // Serialises two setups at once: only one first administrator.
      await tx.query(`LOCK TABLE setup_tokens IN EXCLUSIVE MODE`);
      if (!(await needsFirstAdmin(tx)) || !(await spendSetupToken(tx, input.token))) return null;
      const id = await insertAccount(tx, { username: input.username, passwordHash, role: 'admin', displayName: input.displayName, stationId: null });
      const created = await app.sessions.create(tx, { accountId: id, displayId: null, role: 'admin', name: input.displayName, stationId: null }, ip);
      await audit(tx, created.session, { action: 'account.create', target: `account:${id}`, detail: { username: input.username, role: 'admin', via: 'setup' }, ip });
      return created;
    });
    if (!made) throw refused();
    return { status: 201, body: me(made.session), headers: { 'set-cookie': sessionCookie(made.token, made.maxAge, secure) } };
  });

  // Only a demo advertises its logins; a production server answers 404 as for any unknown route.
  router.add('GET', '/api/v1/auth/demo-accounts', 'public', {
    doc: {
      summary: '演示账号',
      description: '仅演示模式提供登录页所列的账号与共用密码；生产模式答 404，与不存在的路径相同。',
      response: { type: 'object', properties: { password: { type: 'string' }, accounts: { type: 'array', items: { type: 'object' } } }, required: ['password', 'accounts'] },
      errors: { 404: '非演示模式' },
    },
  }, async () => {
    if (app.config.mode !== 'demo') throw new DomainError('not_found', 'not_found', '未找到');
    return { body: { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map((a) => ({ ...a, roleLabel: ROLE_LABEL[a.role] })) } };
  });

  router.add('GET', '/api/v1/auth/me', 'public', { doc: { summary: '当前会话的用户', auth: ['session'], response: Me } }, async ({ session }) => {
    if (!session) throw unauthorized();
    return { body: me(session) };
  });
}
