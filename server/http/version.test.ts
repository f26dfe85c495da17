import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withTestServer } from '../test/server';

const ts = withTestServer();

describe('GET /version (issue 13: a wall reloads itself after an upgrade)', () => {
  it('tells anyone the build this process serves, never from a cache', async () => {
    const res = await fetch(`${ts.url}/version`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Next's id when a build exists, 'development' otherwise: either way the file decides, not a constant.
    const built = await readFile(new URL('../../.next/BUILD_ID', import.meta.url), 'utf8').then((s) => s.trim(), () => 'development');
    expect(await res.json()).toEqual({ build: built });
  });
});
