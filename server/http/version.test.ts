import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withTestServer } from '../test/server';

const ts = withTestServer();

describe('GET /version (issue 13: a wall reloads itself after an upgrade)', () => {
  it('tells anyone the build this process serves, never from a cache', async () => {
    const buildId = () => readFile(new URL('../../.next/BUILD_ID', import.meta.url), 'utf8').then((s) => s.trim(), () => 'development');
    // `npm test` builds beside vitest (server/cli/test.mjs): the file may change while this runs.
    const before = await buildId();
    const res = await fetch(`${ts.url}/version`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Next's id when a build exists, 'development' otherwise: either way the file decides, not a constant.
    const body = await res.json();
    expect([{ build: before }, { build: await buildId() }]).toContainEqual(body);
  });
});
