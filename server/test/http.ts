/** The answers are read field by field in each test; their contracts are checked where they are typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = { status: number; body: any };

/** A JSON request to the test server as the session in `cookie`; the answer's status and body. */
export function caller(base: () => string) {
  return async (method: string, path: string, cookie: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
}
