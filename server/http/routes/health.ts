import type { AppContext } from '../../context';
import type { Router } from '../router';

export function healthRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/healthz', 'public', async ({ session }) => {
    const [db, bus] = await Promise.all([
      app.db
        .query<{ v: string }>('SELECT postgis_lib_version() AS v')
        .then((r) => ({ ok: true, postgis: r.rows[0].v }))
        .catch((e: Error) => ({ ok: false, error: e.message })),
      app.bus.ping(),
    ]);
    const ok = db.ok && bus;
    const status = ok ? 'ok' : 'degraded';
    // Probes need only the status; database user, host and name and error texts help an attacker.
    if (session?.role !== 'admin') return { status: ok ? 200 : 503, body: { status } };
    return {
      status: ok ? 200 : 503,
      body: {
        status,
        mode: app.config.mode,
        database: { ...app.database, ...db },
        bus: { kind: app.bus.kind, describe: app.bus.describe, ok: bus },
      },
    };
  });
}
