import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../../context';
import { scrape } from '../../obs/app-metrics';
import { forbidden, unauthorized } from '../../errors';
import type { Router } from '../router';

/** Compared as digests: equal lengths, so the time taken says nothing about the token's length or prefix. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerOf(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
}

/**
 * Prometheus metrics: for an administrator's session, or a scraper sending METRICS_TOKEN as a
 * bearer token (no token configured: administrators only). Counts and timings only, but they
 * show load and activity, so not for everyone.
 */
export function metricsRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/metrics', 'public', {
    doc: {
      summary: 'Prometheus 指标',
      description: '计数与耗时，不含任何人的数据；但能看出负载与活动，故只给管理员会话，或带 METRICS_TOKEN 的抓取方（未配置时只给管理员）。',
      auth: ['metricsToken', 'session'],
      responses: { 200: { description: 'Prometheus 文本格式', types: ['text/plain'] } },
      errors: { 401: '未登录，也没有有效的 METRICS_TOKEN', 403: '仅管理员' },
    },
  }, async ({ req, res, session }) => {
    const token = app.config.metricsToken;
    const bearer = bearerOf(req);
    const scraper = token !== undefined && bearer !== null && sameSecret(bearer, token);
    if (!scraper && session?.role !== 'admin') throw session ? forbidden() : unauthorized();
    const { contentType, text } = await scrape(app);
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
}
