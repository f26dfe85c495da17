import { GenerateReportInputV1, ReportListQuery, ReportQuery, type ReportRecordV1 } from '@/lib/contracts/reports';
import { PeriodKey } from '@/lib/contracts/scores';
import type { Session } from '../../auth/session';
import { claimRequest, finishRequest } from '../../command/requests';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { DomainError } from '../../errors';
import { audit } from '../../repo/audit';
import { listableStation, reportScopeFor } from '../../reports/access';
import { ensureReport, listReports, type StoredReport } from '../../reports/store';
import { XLSX_MEDIA_TYPE } from '../../reports/xlsx';
import { readBody, readQuery, type Ctx, type Router } from '../router';

/*
 * The monthly, quarterly and yearly report (issue 15 point 6; S13, S14). PERMISSIONS.generateReports
 * (the district roles, a station's two leaders) for everything here; the scope rule narrows a
 * station's leaders to their own station (server/reports/access.ts). Every download of the file and
 * every read of the printable page is audited with the period, scope and the file's SHA-256.
 */

const obj = { type: 'object' } as const;
const periodParam = { period: { type: 'string', description: '考评时段：2026-11（月度）、2026-Q4（季度）、2026（年度）' } };
const SCOPE_NOTE = 'scope：district（全区，区级）或 s:<工作站编号>；不填为本人范围（区级为全区，站长、常务副站长为本站）。站长、副站长只能取本站（他站 404）。';

function periodOf(ctx: Ctx): string {
  const parsed = PeriodKey.safeParse(ctx.params.period);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', '考评时段无效', [{ path: 'params.period', message: parsed.error.issues[0]?.message ?? '无效' }]);
  return parsed.data;
}

const who = (s: Session) => ({ uid: s.uid, name: s.name });
const KIND = 'report-generate';
type Generated = { record: ReportRecordV1; made: boolean };

const reusedKey = () => new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);

/** A retry is of the same report: the key of another period's or scope's generation is refused, not answered with that one. */
function sameTarget(answer: Generated, period: string, scope: string): Generated {
  if (answer.record.period !== period || answer.record.scope !== scope) throw reusedKey();
  return answer;
}

/** The first answer to this request key, when it has one; another account's or operation's key is refused (server/command/requests). */
async function answered(app: AppContext, key: string, uid: number): Promise<Generated | null> {
  const { rows } = await app.db.query<{ accountId: number | null; kind: string; result: Generated | null }>(
    `SELECT account_id AS "accountId", kind, result FROM command_requests WHERE request_key = $1`,
    [key],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.accountId !== uid || r.kind !== KIND || r.result === null) throw reusedKey();
  return r.result;
}

/** The current report, made if needed; the read is audited once the report is there to be read (a refused one is not). */
async function readReport(app: AppContext, ctx: Ctx, action: 'report.download' | 'report.print'): Promise<StoredReport> {
  const period = periodOf(ctx);
  const scope = reportScopeFor(ctx.session!, readQuery(ctx.url, ReportQuery).scope);
  const stored = await ensureReport(app.db, app.config.dataDir, period, scope, who(ctx.session!));
  await audit(app.db, ctx.session, {
    action, target: `report:${period}:${scope}`, ip: ctx.ip,
    detail: { period, scope, sha256: stored.record.sha256, bytes: stored.record.bytes, frozen: stored.record.frozen, made: stored.made },
  });
  return stored;
}

function downloadName(r: StoredReport): { ascii: string; utf8: string } {
  const d = r.document;
  return { ascii: `report-${d.period}-${d.scope.replace(':', '-')}.xlsx`, utf8: `${d.scopeName}${d.label}考评报告${d.frozen ? '' : '（未封账）'}.xlsx` };
}

export function reportRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/reports', 'generateReports', {
    doc: {
      summary: '已生成的考评报告',
      description: '区级：全部；站长、常务副站长：本站的。每份报告的时段、范围、大小、SHA-256 与生成时间（generatedBy 为空即由定时任务生成）。',
      query: ReportListQuery, response: { type: 'array', items: obj },
    },
  }, async ({ session, url }) => {
    const q = readQuery(url, ReportListQuery);
    return { body: await listReports(app.db, listableStation(session!), q.period) };
  });

  router.add('POST', '/api/v1/reports/:period/generate', 'generateReports', {
    doc: {
      summary: '生成考评报告',
      description: `按需生成（区级任意范围，站长、副站长本站）。已封账且其后无区级调整的时段沿用已存报告，不重新生成；未封账的时段重新生成（标注未封账；一分钟内已生成的沿用）。留审计；同一 requestKey 的重试返回第一次的结果。${SCOPE_NOTE}`,
      params: periodParam, body: GenerateReportInputV1,
      responses: { 201: { description: '已生成或已是最新', schema: obj }, 200: { description: '同一 requestKey 的重试', schema: obj } },
      errors: { 404: '工作站不存在或不在职责范围内', 409: 'requestKey 已用于另一项操作（含另一时段或范围的报告）' },
    },
  }, async (ctx) => {
    const period = periodOf(ctx);
    const input = await readBody(ctx.req, GenerateReportInputV1);
    const s = ctx.session!;
    const scope = reportScopeFor(s, input.scope);
    // A retry is answered from its first answer before any work; the work itself is idempotent (the
    // report made current), so two at once at worst both make it, and one of them is recorded.
    const replay = await answered(app, input.requestKey, s.uid);
    if (replay) return { status: 200, body: sameTarget(replay, period, scope) };
    const stored = await ensureReport(app.db, app.config.dataDir, period, scope, who(s));
    const answer: Generated = { record: stored.record, made: stored.made };
    return inTransaction(app.db, async (tx) => {
      const { replay: raced } = await claimRequest<Generated>(tx, input.requestKey, s.uid, KIND);
      if (raced) return { status: 200, body: sameTarget(raced, period, scope) };
      await audit(tx, s, { action: 'report.generate', target: `report:${period}:${scope}`, ip: ctx.ip, detail: { period, scope, sha256: stored.record.sha256, made: stored.made } });
      await finishRequest(tx, input.requestKey, answer);
      return { status: 201, body: answer };
    });
  });

  router.add('GET', '/api/v1/reports/:period.xlsx', 'generateReports', {
    doc: {
      summary: '下载考评报告（xlsx）',
      description: `汇总、各站、排名、超期清单、红牌清单、巡查覆盖、积分工作表；A4 打印设置。已封账时段下载已存的报告，未封账的当场生成并标注未封账（一分钟内已生成的沿用）。每次下载留审计（report.download：时段、范围、SHA-256）。${SCOPE_NOTE}`,
      params: periodParam, query: ReportQuery,
      responses: { 200: { description: 'xlsx 工作簿', types: [XLSX_MEDIA_TYPE], headers: { 'x-report-sha256': { description: '文件的 SHA-256（与审计记录一致）', schema: { type: 'string' } } } } },
      errors: { 404: '工作站不存在或不在职责范围内' },
    },
  }, async (ctx) => {
    const stored = await readReport(app, ctx, 'report.download');
    // The bytes this call made or checked, not the file by name: a concurrent maker may have replaced it since.
    const bytes = stored.bytes;
    const name = downloadName(stored);
    ctx.res.writeHead(200, {
      'content-type': XLSX_MEDIA_TYPE,
      'content-length': bytes.length,
      'content-disposition': `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`,
      'cache-control': 'no-store',
      'x-report-sha256': stored.record.sha256,
    });
    ctx.res.end(bytes);
  });

  router.add('GET', '/api/v1/reports/:period.json', 'generateReports', {
    doc: {
      summary: '考评报告（打印页数据）',
      description: `与 xlsx 同一份报告的数据（打印页 /console/reports/print 用），同样留审计（report.print）。${SCOPE_NOTE}`,
      params: periodParam, query: ReportQuery, response: obj,
      errors: { 404: '工作站不存在或不在职责范围内' },
    },
  }, async (ctx) => {
    const stored = await readReport(app, ctx, 'report.print');
    return { body: { report: stored.document, record: stored.record } };
  });
}
