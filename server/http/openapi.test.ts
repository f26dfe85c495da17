import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlaceInput } from '@/lib/contracts/place';
import { IMAGE_MIMES } from '@/lib/media/sniff';
import { PERMISSIONS } from '@/lib/roles';
import { withTestServer } from '../test/server';
import { openApiPath, type OpenApiDocument, type OpenApiOperation } from './openapi';
import { BODY_TYPES } from './router';
import { buildRouter } from './server';

const ts = withTestServer(`openapi:${process.pid}:`);

async function served(): Promise<OpenApiDocument> {
  const res = await fetch(`${ts.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as OpenApiDocument;
}

function operationOf(d: OpenApiDocument, method: string, path: string): OpenApiOperation | undefined {
  return d.paths[openApiPath(path)]?.[method.toLowerCase() as 'get'];
}

/** Routes that take no body at all (the router still wants their Content-Type). */
const NO_BODY = ['POST /api/v1/auth/logout'];

describe('OpenAPI document (issue 11): every route, from the schemas the routes validate with', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate((await served()) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every registered route with its method, and nothing else', async () => {
    const d = await served();
    const routes = buildRouter(ts.app).list();
    expect(routes.length).toBeGreaterThan(80);
    // A route added without a doc object fails here, and says which.
    expect(routes.filter((r) => !r.doc?.summary).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.filter((r) => !operationOf(d, r.method, r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const documented = Object.entries(d.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    for (const r of routes) {
      const op = operationOf(d, r.method, r.path)!;
      // Summaries are for the operators' developers, in Chinese.
      expect(op.summary, `${r.method} ${r.path}`).toMatch(/[\u4e00-\u9fff]/);
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(params, `${r.method} ${r.path}`).toEqual([...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]));
    }
  });

  it('gives each operation its own id and resolves every $ref', async () => {
    const d = await served();
    const ids = Object.values(d.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
    };
    walk(d.paths);
    walk(d.components);
    for (const r of refs) {
      expect(r, r).toMatch(/^#\/components\/schemas\//);
      expect(d.components.schemas[r.slice('#/components/schemas/'.length)], r).toBeDefined();
    }
  });

  it('describes request bodies by the schema the route reads with, or by the media types of its kind', async () => {
    const d = await served();
    for (const r of buildRouter(ts.app).list()) {
      const op = operationOf(d, r.method, r.path)!;
      if (r.method === 'GET') {
        expect(op.requestBody, `${r.method} ${r.path}`).toBeUndefined();
        continue;
      }
      expect(Object.keys(op.requestBody?.content ?? {}), `${r.method} ${r.path}`).toEqual([...BODY_TYPES[r.body]]);
      if (r.body === 'json' && !NO_BODY.includes(`${r.method} ${r.path}`)) {
        expect(r.doc?.body, `${r.method} ${r.path} reads a JSON body: name its schema`).toBeDefined();
        expect(op.requestBody?.required).toBe(true);
      }
    }
    const places = operationOf(d, 'POST', '/api/v1/places')!;
    const fromContract = z.toJSONSchema(PlaceInput, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete fromContract.$schema;
    expect(places.requestBody?.content['application/json'].schema).toEqual(fromContract);
    expect(Object.keys(operationOf(d, 'POST', '/api/v1/photos')!.requestBody!.content)).toEqual([...IMAGE_MIMES]);
    expect(operationOf(d, 'POST', '/api/v1/stats')!.requestBody!.content['text/csv'].example).toMatch(/^date,category,region_code,count\r\n/);
    const audit = operationOf(d, 'GET', '/api/v1/audit')!;
    expect(audit.parameters?.map((p) => p.name)).toEqual(['person', 'entity', 'action', 'from', 'to', 'before', 'limit']);
  });

  it('says who may call each route', async () => {
    const d = await served();
    for (const r of buildRouter(ts.app).list()) {
      const op = operationOf(d, r.method, r.path)!;
      const where = `${r.method} ${r.path}`;
      if (r.doc?.auth) expect(op.security.map((s) => Object.keys(s)[0]), where).toEqual(r.doc.auth);
      else if (r.access === 'public') expect(op.security, where).toEqual([]);
      else if (r.access === 'session') expect(op.security, where).toEqual([{ session: [] }]);
      else {
        expect(op.security, where).toEqual([{ session: [...PERMISSIONS[r.access]] }]);
        expect(op.responses['403'], where).toBeDefined();
      }
      if (r.access !== 'public') expect(op.responses['401'], where).toBeDefined();
      expect(op.responses['503']?.headers, where).toHaveProperty('Retry-After');
    }
    expect(operationOf(d, 'POST', '/api/v1/positions')!.security).toEqual([{ deviceToken: [] }]);
    expect(operationOf(d, 'POST', '/api/v1/events')!.security).toEqual([{ apiKey: [] }, { session: [] }]);
  });

  it('keeps the ingest routes’ own words', async () => {
    const d = await served();
    const ids = { reportEvent: 'POST /api/v1/events', actOnEvent: 'POST /api/v1/events/:id/actions', uploadPhoto: 'POST /api/v1/photos', uploadStats: 'POST /api/v1/stats', reportPositions: 'POST /api/v1/positions' };
    for (const [id, route] of Object.entries(ids)) {
      const [method, path] = route.split(' ');
      expect(operationOf(d, method, path)?.operationId).toBe(id);
    }
    expect(operationOf(d, 'POST', '/api/v1/events')!.description).toContain('来源系统用其 API 密钥上报');
    expect(operationOf(d, 'POST', '/api/v1/events')!.responses['409'].description).toBe('idempotencyKey 已用于另一条内容不同的上报');
    expect(operationOf(d, 'POST', '/api/v1/stats')!.responses['422'].content).toBeDefined();
    expect(operationOf(d, 'GET', '/api/v1/photos/:id')!.parameters?.[0].schema).toMatchObject({ pattern: '^[0-9a-f]{64}$' });
  });
});
