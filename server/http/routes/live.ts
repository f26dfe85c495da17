import { z } from 'zod';
import { PositionBatchV1 } from '@/lib/contracts/live';
import type { AppContext } from '../../context';
import { liveIncidents } from '../../events/live';
import { hashToken } from '../../auth/token';
import { audit } from '../../repo/audit';
import { HttpError } from '../errors';
import { readBody, readQuery, type Router } from '../router';

const WINDOW_HOURS = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;

function live(app: AppContext) {
  if (!app.live) throw new HttpError(503, 'starting', '服务启动中');
  return app.live;
}

export function liveRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/units', 'session', async () => ({ body: live(app).units.all() }));

  router.add('GET', '/api/v1/live/stats', 'session', async () => {
    const l = live(app);
    return {
      body: {
        counters: l.ingest.counters,
        tickSeq: l.fanout.seq,
        liveSockets: l.fanout.clients,
        historyWritten: l.history.written,
        unitsKnown: l.units.all().length,
        rssBytes: process.memoryUsage().rss,
      },
    };
  });

  // Devices and gateways post batches with a bearer token; a token bound to a unit reports only that unit.
  router.add('POST', '/api/v1/positions', 'public', async ({ req, ip }) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const { rows } = token
      ? await app.db.query<{ id: number; unit_id: number | null }>(
          `SELECT id, unit_id FROM device_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
          [hashToken(token)],
        )
      : { rows: [] };
    if (!rows[0]) {
      await audit(app.db, null, { action: 'positions.token_refused', ip });
      throw new HttpError(401, 'unauthorized', '设备令牌无效');
    }
    const batch = await readBody(req, PositionBatchV1);
    const result = await live(app).ingest.ingest(batch.positions, rows[0].unit_id ?? undefined);
    return { body: result };
  });

  router.add('GET', '/api/v1/incidents/live', 'session', async () => ({ body: await liveIncidents(app.db, app.bus) }));

  // Hotspots: incidents binned to ~100 m cells, so 100,000 incidents travel as a few thousand cells.
  router.add('GET', '/api/v1/incidents/heat', 'session', async ({ url }) => {
    const { window } = readQuery(url, z.object({ window: z.enum(['24h', '7d', '30d']).default('24h') }));
    const { rows } = await app.db.query<{ lon: number; lat: number; n: number }>(
      `SELECT round(ST_X(location)::numeric, 3)::float8 AS lon, round(ST_Y(location)::numeric, 3)::float8 AS lat, count(*)::int AS n
         FROM events WHERE location IS NOT NULL AND reported_at >= now() - $1 * interval '1 hour'
        GROUP BY 1, 2`,
      [WINDOW_HOURS[window]],
    );
    return { body: { window, cells: rows.map((r) => [r.lon, r.lat, r.n]) } };
  });
}
