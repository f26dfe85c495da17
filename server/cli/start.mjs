// `npm start`: install, prepare, build when stale, then serve. Demo mode unless LIANDONG_MODE=production.
import { ensureBuild, ensureDependencies, serve } from './steps.mjs';

await ensureDependencies();
const { ensureDatabase, ensurePostgis, ensureRedis } = await import('./services.mjs');
if (process.env.DATABASE_URL) {
  await ensurePostgis(process.env.DATABASE_URL);
  await ensureDatabase(process.env.DATABASE_URL);
}
if (process.env.REDIS_URL) await ensureRedis(process.env.REDIS_URL);
await ensureBuild();
await serve({});
