import { SOURCE_LABEL } from '@/lib/contracts/events';
import {
  EARLIEST_STATS_DAY,
  MAX_STATS_BYTES,
  MAX_STATS_QUERY_DAYS,
  MAX_STATS_ROWS,
  STATS_COLUMNS,
  StatsQuery,
  type StatsRowReport,
  type StatsRowV1,
  type StatsSummaryV1,
  type StatsUploadReceiptV1,
} from '@/lib/contracts/stats';
import { DISTRICT_ROLES, type Role } from '@/lib/roles';
import { decodeUtf8, parseStatsCsv } from '@/lib/stats/csv';
import { shanghaiDay } from '@/lib/time/workdays';
import { apiKeyOf, bearer } from '../../auth/apikey';
import type { AppContext } from '../../context';
import { inTransaction, type Db } from '../../db/pool';
import { audit } from '../../repo/audit';
import { requestWarningRun } from '../../jobs/warnings';
import { forbidden, DomainError } from '../../errors';
import { ref } from '../openapi';
import { readQuery, readRaw, type Router } from '../router';

/** Statistics feed the leaders' view of the whole area (S9 early warning), not the field staff's. */
const READERS: readonly Role[] = ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'];
const DAY_MS = 24 * 3600_000;
const maxMb = (n: number) => `${n / 1024 / 1024} MB`;

/** All or nothing: one bad row and nothing is written; the answer lists every row. */
function refuse(reports: StatsRowReport[], message: string): { status: number; body: StatsUploadReceiptV1 } {
  return { status: 422, body: { error: 'invalid_rows', message, accepted: 0, rows: reports } };
}

/** Marks rows whose category or region the database does not know; returns the reports updated. */
async function checkCodes(db: Db, rows: StatsRowV1[], reports: StatsRowReport[]): Promise<StatsRowReport[]> {
  const categories = [...new Set(rows.map((r) => r.category))];
  const regions = [...new Set(rows.map((r) => r.regionCode))];
  const [c, g] = await Promise.all([
    db.query<{ code: string }>(`SELECT code FROM categories WHERE code = ANY($1::text[])`, [categories]),
    db.query<{ code: string }>(`SELECT code FROM regions WHERE code = ANY($1::text[])`, [regions]),
  ]);
  const knownC = new Set(c.rows.map((r) => r.code));
  const knownG = new Set(g.rows.map((r) => r.code));
  const byLine = new Map(rows.map((r) => [r.line, r]));
  return reports.map((rep): StatsRowReport => {
    const row = rep.ok ? byLine.get(rep.row) : undefined;
    if (!row) return rep;
    if (!knownC.has(row.category))
      return { row: rep.row, ok: false, field: 'category', message: `未知的分类代码 "${row.category}"（见 GET /api/v1/categories）` };
    if (!knownG.has(row.regionCode))
      return { row: rep.row, ok: false, field: 'region_code', message: `未知的区划代码 "${row.regionCode}"（区、镇街、村社或网格的统计代码）` };
    return rep;
  });
}

export function statsRoutes(router: Router, app: AppContext): void {
  // A source system's API key only: a staff session is refused, since the rows speak for a system.
  router.add('POST', '/api/v1/stats', 'public', {
    body: 'csv',
    doc: {
      summary: '上传定期统计（CSV）',
      description:
        `尚未联通的系统定期推送统计（S9）。UTF-8 CSV（可带 BOM），第 1 行为表头 ${STATS_COLUMNS.join(',')}（列序不限），` +
        '每行：date 为 YYYY-MM-DD（不晚于今天），category 为类别代码（GET /api/v1/categories），region_code 为区、镇街、村社或网格的统计代码，count 为不小于 0 的整数。' +
        `同一文件内日期、类别、区划不得重复。最多 ${MAX_STATS_ROWS} 行、${maxMb(MAX_STATS_BYTES)}。` +
        '全部或全不：任一行有误则不写入。重传同一日期、类别、区划的行会覆盖原数量，重试是安全的。只接受 API 密钥。',
      operationId: 'uploadStats',
      auth: ['apiKey'],
      example: `${STATS_COLUMNS.join(',')}\r\n2026-03-01,dispute.neighbour,330503001001,3\r\n2026-03-01,hazard.fire,330503001,1\r\n`,
      responses: {
        200: { description: '全部写入', schema: ref('StatsUploadReceiptV1') },
        422: { description: '有行出错（或表头、编码有误），未写入任何数据；rows 逐行说明', schema: ref('StatsUploadReceiptV1') },
      },
      errors: {
        401: '缺少或无效的 API 密钥（登录会话不可用）',
        413: `超过 ${maxMb(MAX_STATS_BYTES)} 或 ${MAX_STATS_ROWS} 行`,
        415: 'Content-Type 不是 text/csv，或 charset 不是 UTF-8',
      },
    },
  }, async ({ req, ip }) => {
    const token = bearer(req);
    if (!token) throw new DomainError('unauthorized', 'unauthorized', '须使用来源系统的 API 密钥：Authorization: Bearer <密钥>');
    const key = await apiKeyOf(app.db, token);
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset))
      throw new DomainError('unsupported_media', 'unsupported_media_type', `CSV 须为 UTF-8 编码，收到 charset=${charset}`);

    const decoded = decodeUtf8(await readRaw(req, MAX_STATS_BYTES));
    if (!decoded.ok)
      return refuse([{ row: decoded.line, ok: false, field: 'body', message: `第 ${decoded.line} 行不是有效的 UTF-8：请以 UTF-8 编码保存 CSV` }], '文件不是 UTF-8 编码');
    const parsed = parseStatsCsv(decoded.text, shanghaiDay(new Date()));
    if (parsed.dataRows > MAX_STATS_ROWS)
      throw new DomainError('too_large', 'too_many_rows', `一次最多 ${MAX_STATS_ROWS} 行数据，收到 ${parsed.dataRows} 行：请分批上传`);

    const reports = parsed.rows.length ? await checkCodes(app.db, parsed.rows, parsed.reports) : parsed.reports;
    const bad = reports.filter((r) => !r.ok);
    if (bad.length) {
      const first = bad[0];
      const where = first.ok ? '' : `第 ${first.row} 行 ${first.field}：${first.message}`;
      return refuse(reports, `${bad.length} 行有误，未写入任何数据。${where}`);
    }

    const rows = parsed.rows;
    await inTransaction(app.db, async (tx) => {
      if (rows.length)
        // One statement for the whole file; a re-upload of a day replaces that day's counts.
        await tx.query(
          `INSERT INTO source_stats (source, day, category, region_code, count)
           SELECT $1, * FROM unnest($2::date[], $3::text[], $4::text[], $5::int[])
           ON CONFLICT (source, day, category, region_code) DO UPDATE SET count = EXCLUDED.count, uploaded_at = now()`,
          [key.source, rows.map((r) => r.day), rows.map((r) => r.category), rows.map((r) => r.regionCode), rows.map((r) => r.count)],
        );
      const days = rows.map((r) => r.day).sort();
      await audit(tx, null, {
        action: 'stats.upload',
        target: `source:${key.source}`,
        detail: { source: key.source, apiKeyId: key.id, rows: rows.length, from: days[0] ?? null, to: days.at(-1) ?? null },
        ip,
      });
    });
    // Rising needs are read from these counts (S9): the warnings job runs soon after an upload.
    if (rows.length) requestWarningRun();
    const body: StatsUploadReceiptV1 = { accepted: rows.length, rows: reports };
    return { body };
  });

  router.add('GET', '/api/v1/stats', 'session', {
    doc: {
      summary: '统计汇总',
      description: `各来源系统上传的统计按来源、类别、区划求和；日期含两端，默认最近 30 天，一次最多 ${MAX_STATS_QUERY_DAYS} 天。站领导只见本站范围。`,
      query: StatsQuery,
      response: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, source: { type: ['string', 'null'] }, total: { type: 'integer' }, rows: { type: 'array', items: { type: 'object' } } }, required: ['from', 'to', 'source', 'total', 'rows'] },
      errors: { 403: '仅管理员、区级角色与站领导可读统计' },
    },
  }, async ({ url, session }) => {
    if (!READERS.includes(session!.role)) throw forbidden();
    const q = readQuery(url, StatsQuery);
    // No statistics predate it, and a year 0000 day reached PostgreSQL as an error (issue 11 fuzzing).
    for (const key of ['from', 'to'] as const) {
      const day = q[key];
      if (day !== undefined && day < EARLIEST_STATS_DAY)
        throw new DomainError('invalid', 'invalid', `日期不能早于 ${EARLIEST_STATS_DAY}`, [{ path: `query.${key}`, message: `不能早于 ${EARLIEST_STATS_DAY}` }]);
    }
    const to = q.to ?? shanghaiDay(new Date());
    const from = q.from ?? shanghaiDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
    if (from > to) throw new DomainError('invalid', 'invalid', '起始日期晚于结束日期', [{ path: 'query.from', message: `须不晚于 to（${to}）` }]);
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (span > MAX_STATS_QUERY_DAYS)
      throw new DomainError('invalid', 'invalid', `一次最多查询 ${MAX_STATS_QUERY_DAYS} 天`, [{ path: 'query.from', message: `与 to 相距不超过 ${MAX_STATS_QUERY_DAYS} 天` }]);

    const { rows } = await app.db.query<{
      source: string; category: string; category_label: string; region_code: string; region_name: string; region_level: string; count: number; days: number;
    }>(
      `SELECT s.source, s.category, c.label AS category_label, s.region_code, g.name AS region_name, g.level AS region_level,
              sum(s.count)::int8 AS count, count(*)::int AS days
         FROM source_stats s JOIN categories c ON c.code = s.category JOIN regions g ON g.code = s.region_code
        WHERE s.day BETWEEN $1 AND $2 AND ($3::text IS NULL OR s.source = $3)
          -- Scope (issue 10): a station's leaders see their town's figures, their villages' and their grids'; the district all.
          AND ($4::int IS NULL OR g.code = (SELECT town_code FROM stations WHERE id = $4)
               OR EXISTS (SELECT 1 FROM station_villages sv WHERE sv.station_id = $4 AND sv.village_code IN (g.code, g.parent_code)))
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY count DESC, s.source, s.category, s.region_code`,
      [from, to, q.source ?? null, DISTRICT_ROLES.includes(session!.role) ? null : session!.stationId ?? -1],
    );
    const labels: Record<string, string> = SOURCE_LABEL;
    const body: StatsSummaryV1 = {
      from,
      to,
      source: q.source ?? null,
      total: rows.reduce((n, r) => n + r.count, 0),
      rows: rows.map((r) => ({
        source: r.source,
        sourceLabel: labels[r.source] ?? r.source,
        category: r.category,
        categoryLabel: r.category_label,
        regionCode: r.region_code,
        regionName: r.region_name,
        regionLevel: r.region_level,
        count: r.count,
        days: r.days,
      })),
    };
    return { body };
  });
}
