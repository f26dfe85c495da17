import { describe, expect, it } from 'vitest';
import { withTestServer } from '../../test/server';

const ts = withTestServer();

describe('GET /api/v1/citizen/areas: the residents\' map without a login (issue 14; S9)', () => {
  it('answers anyone with every town, outline, code and name only, cacheable', async () => {
    const res = await fetch(`${ts.url}/api/v1/citizen/areas`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    expect(res.headers.get('cache-control')).toContain('public');
    const fc = (await res.json()) as { type: string; features: { geometry: { type: string }; properties: Record<string, unknown> }[] };
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM regions WHERE level = 'town'`);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(rows[0].n);
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      // No population or household figures: a public page gets what a printed map shows.
      expect(Object.keys(f.properties).sort()).toEqual(['code', 'name']);
    }
  });

  it('is smaller than the staff feed of the same towns (simplified, 5 decimals)', async () => {
    const pub = await (await fetch(`${ts.url}/api/v1/citizen/areas`)).text();
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT length(ST_AsGeoJSON(ST_Collect(geom), 6))::int AS n FROM regions WHERE level = 'town'`);
    expect(pub.length).toBeLessThan(rows[0].n);
  });
});
