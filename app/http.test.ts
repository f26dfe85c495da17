import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { client, http, HttpError } from './http';

/** A fetch that answers once with `status` and `body` (a string body is sent as it is). */
function answer(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  });
  return calls;
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable(), (e: unknown) => e as HttpError);

afterEach(() => vi.unstubAllGlobals());

describe('http', () => {
  it('sends every change as JSON, an empty object when there is nothing to say', async () => {
    const calls = answer(200, { id: 1 });
    expect(await http.delete<{ id: number }>('/api/v1/x')).toEqual({ id: 1 });
    expect(calls[0].init).toMatchObject({ method: 'DELETE', body: '{}', cache: 'no-store', credentials: 'same-origin', headers: { 'content-type': 'application/json' } });
  });

  it('turns the router’s error body into a typed error', async () => {
    answer(422, { error: 'invalid', message: '填写有误', issues: [{ path: 'body.name', message: '必填' }, { bad: true }] });
    const e = await failure(http.post('/api/v1/x', { a: 1 }));
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ status: 422, reason: 'refused', code: 'invalid', said: '填写有误', message: '填写有误', issues: [{ path: 'body.name', message: '必填' }] });
  });

  it('names the attempt when the server said nothing', async () => {
    answer(502, '<html>bad gateway</html>');
    expect(await failure(http.post('/api/v1/auth/login', {}, { what: '登录' }))).toMatchObject({ status: 502, said: null, message: '登录失败（502）' });
  });

  it('tells no reply, an unreadable reply and a misshapen one apart', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await failure(http.get('/x'))).toMatchObject({ status: 0, reason: 'network' });
    answer(200, 'not json');
    expect(await failure(http.get('/x'))).toMatchObject({ status: 200, reason: 'unreadable' });
    answer(200, { n: 'one' });
    expect(await failure(http.get('/x', { schema: z.object({ n: z.number() }) }))).toMatchObject({ status: 200, reason: 'malformed' });
  });

  it('rejects with the abort itself when the caller aborts', async () => {
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );
    const controller = new AbortController();
    const pending = http.get('/x', { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    const e = await pending;
    expect(e).not.toBeInstanceOf(HttpError);
    expect((e as Error).name).toBe('AbortError');
  });

  it('calls the client’s session hook on a 401 only', async () => {
    const signedOut = vi.fn();
    const desk = client(signedOut);
    answer(403, { error: 'forbidden', message: '无权' });
    await failure(desk.get('/x'));
    expect(signedOut).not.toHaveBeenCalled();
    answer(401, { error: 'unauthorized', message: '请登录' });
    await failure(desk.get('/x'));
    expect(signedOut).toHaveBeenCalledTimes(1);
  });
});
