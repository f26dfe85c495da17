import { z } from 'zod';
import { PositionBatchV1 } from '@/lib/contracts/live';
import type { AppContext } from '../../context';
import { liveIncidents } from '../../events/live';
import { hashToken } from '../../auth/token';
import { auditRefusal } from '../../repo/audit';
import { reachOfSession } from '../../events/viewer';
import { maySeeStation } from '@/lib/access/scope';
import { args, eventScopeSql } from '../../db/scope';
import { HttpError } from '../errors';
import { readBody, readQuery, type Router } from '../router';

const WINDOW_HOURS = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;

function live(app: AppContext) {
  if (!app.live) throw new HttpError(503, 'starting', '服务启动中');
  return app.live;
}

export function liveRoutes(router: Router, app: AppContext): void {
  // Units of the stations the viewer may see (issue 10: every screen used to get the district's).
  router.add('GET', '/api/v1/units', 'session', async ({ session }) => {
    const reach = await reachOfSession(app.db, session!);
    return { body: live(app).units.all().filter((u) => maySeeStation(reach, u.stationId)) };
  });

  // Counters of this process, no data of anyone's (the soak run reads them from a wall page).
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
    // last_used_at is written at most once a minute per device: a 1 Hz tracker must not cost a write per fix.
    const { rows } = token
      ? await app.db.query<{ id: number; unit_id: number | null; station_id: number | null }>(
          `WITH t AS (SELECT id, unit_id, station_id, last_used_at FROM device_tokens WHERE token_hash = $1 AND revoked_at IS NULL),
                touched AS (UPDATE device_tokens d SET last_used_at = now() FROM t
                             WHERE d.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'))
           SELECT id, unit_id, station_id FROM t`,
          [hashToken(token)],
        )
      : { rows: [] };
    if (!rows[0]) {
      await auditRefusal(app.db, { action: 'positions.token_refused', ip });
      throw new HttpError(401, 'unauthorized', '设备令牌无效');
    }
    const batch = await readBody(req, PositionBatchV1);
    const t = rows[0];
    const result = await live(app).ingest.ingest(batch.positions, t.unit_id ?? (t.station_id !== null ? { station: t.station_id } : undefined));
    return { body: result };
  });

  router.add('GET', '/api/v1/incidents/live', 'session', async ({ session }) => ({
    body: await liveIncidents(app.db, app.bus, await reachOfSession(app.db, session!), session!.uid),
  }));

  // Hotspots: incidents binned to ~100 m cells, so 100,000 incidents travel as a few thousand cells.
  router.add('GET', '/api/v1/incidents/heat', 'session', async ({ url, session }) => {
    const { window } = readQuery(url, z.object({ window: z.enum(['24h', '7d', '30d']).default('24h') }));
    const q = args([WINDOW_HOURS[window]]);
    const scope = eventScopeSql(await reachOfSession(app.db, session!), session!.uid, q.arg);
    const { rows } = await app.db.query<{ lon: number; lat: number; n: number }>(
      `SELECT round(ST_X(e.location)::numeric, 3)::float8 AS lon, round(ST_Y(e.location)::numeric, 3)::float8 AS lat, count(*)::int AS n
         FROM events e WHERE e.location IS NOT NULL AND e.reported_at >= now() - $1 * interval '1 hour' AND ${scope}
        GROUP BY 1, 2`,
      q.args,
    );
    return { body: { window, cells: rows.map((r) => [r.lon, r.lat, r.n]) } };
  });
}
