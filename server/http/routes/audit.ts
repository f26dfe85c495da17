import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import ExcelJS from 'exceljs';
import { AuditQuery, MAX_AUDIT_EXPORT, auditRoleLabel, type AuditActions, type AuditPage, type AuditRow } from '@/lib/contracts/audit';
import { shanghaiDay } from '@/lib/time/workdays';
import type { Session } from '../../auth/session';
import type { AppContext } from '../../context';
import type { Db } from '../../db/pool';
import { isoSql } from '../../db/sql';
import { readQuery, type Router } from '../router';
import { XLSX_TYPE } from '../../master/sheet';

const ROW = `a.id, ${isoSql('a.at')} AS at, a.account_id AS "accountId", c.username, c.display_name AS name,
  a.role, a.action, a.target, a.detail, a.ip`;

/**
 * As UTC: the ISO format takes offsets up to ±23:59, PostgreSQL only to ±15:59 (a 500 found by
 * issue 11's fuzzing); the instant is the same either way.
 */
const instant = (iso: string) => new Date(iso).toISOString();

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause of a query; each filter is written so one of migration 010's indexes can serve it. */
function whereOf(q: AuditQuery, before = q.before): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (q.person) {
    conds.push(
      /^\d+$/.test(q.person)
        ? `a.account_id = ${p(Number(q.person))}`
        : `a.account_id IN (SELECT id FROM accounts WHERE username ILIKE ${p(`%${escapeLike(q.person)}%`)} OR display_name ILIKE $${params.length})`,
    );
  }
  // A kind alone means every object of that kind; `event:12` must not also match event:123.
  if (q.entity) conds.push(q.entity.includes(':') ? `a.target = ${p(q.entity)}` : `a.target LIKE ${p(`${escapeLike(q.entity)}:%`)}`);
  if (q.action) conds.push(q.action.endsWith('.') ? `a.action LIKE ${p(`${escapeLike(q.action)}%`)}` : `a.action = ${p(q.action)}`);
  if (q.from) conds.push(`a.at >= ${p(instant(q.from))}`);
  if (q.to) conds.push(`a.at < ${p(instant(q.to))}`);
  if (before) conds.push(`a.id < ${p(before)}`);
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/**
 * Newest first by id, not by time: ids are the paging cursor, and `at` is the writing
 * transaction's start, so two entries can carry times in the other order.
 */
async function page(db: Db, q: AuditQuery, limit: number, before = q.before): Promise<AuditRow[]> {
  const { where, params } = whereOf(q, before);
  const { rows } = await db.query<AuditRow>(
    `SELECT ${ROW} FROM audit_log a LEFT JOIN accounts c ON c.id = a.account_id ${where} ORDER BY a.id DESC LIMIT ${limit}`,
    params,
  );
  return rows;
}

/** The audit log for the administrator and the district roles (issue 10); reading it is not itself audited, exporting is. */
export function auditRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/audit', 'readAudit', {
    doc: {
      summary: '审计日志',
      description: '新的在前，按 id 分页：下一页以本页的 nextBefore 作 before。读取本身不记入审计，导出记入。',
      query: AuditQuery,
      response: { type: 'object', properties: { rows: { type: 'array', items: { type: 'object' } }, nextBefore: { type: ['integer', 'null'] } }, required: ['rows', 'nextBefore'] },
    },
  }, async ({ url }) => {
    const q = readQuery(url, AuditQuery);
    const limit = q.limit ?? 100;
    // One row more than asked says whether an older page exists without a count.
    const rows = await page(app.db, q, limit + 1);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const body: AuditPage = { rows, nextBefore: more ? rows[rows.length - 1].id : null };
    return { body };
  });

  router.add('GET', '/api/v1/audit/actions', 'readAudit', {
    doc: { summary: '审计日志中出现过的操作', response: { type: 'object', properties: { actions: { type: 'array', items: { type: 'string' } } }, required: ['actions'] } },
  }, async () => {
    // A skip scan over the action index: one probe per distinct action instead of reading the whole log.
    const { rows } = await app.db.query<{ action: string }>(
      `WITH RECURSIVE a(action) AS (
         (SELECT action FROM audit_log ORDER BY action USING ~<~ LIMIT 1)
         UNION ALL
         SELECT (SELECT l.action FROM audit_log l WHERE l.action ~>~ a.action ORDER BY l.action USING ~<~ LIMIT 1)
         FROM a WHERE a.action IS NOT NULL
       ) SELECT action FROM a WHERE action IS NOT NULL`,
    );
    const body: AuditActions = { actions: rows.map((r) => r.action) };
    return { body };
  });

  router.add('GET', '/api/v1/audit/export.xlsx', 'readAudit', {
    doc: {
      summary: '导出审计日志（xlsx）',
      description: `条件同 GET /api/v1/audit（limit 不适用），最多最新的 ${MAX_AUDIT_EXPORT} 条，逐批流式写出；导出本身记入审计。`,
      query: AuditQuery,
      responses: { 200: { description: 'xlsx 工作簿', types: [XLSX_TYPE] } },
    },
  }, async ({ url, res, session, ip }) => {
    const q = readQuery(url, AuditQuery);
    const filters = { ...q, limit: undefined };
    // Filters the database refuses (a year 0000) are a 400 now, not a download broken after its headers.
    await page(app.db, q, 0);
    // Recorded before any row leaves, so an export cut short is on the record too; its id bounds the
    // export, so the file is the log as it stood when asked and does not contain its own entry.
    const { rows } = await app.db.query<{ id: number }>(
      `INSERT INTO audit_log (account_id, role, action, detail, ip) VALUES ($1, $2, 'audit.export', $3, $4) RETURNING id`,
      [session!.uid > 0 ? session!.uid : null, session!.role, filters, ip],
    );
    const bound = q.before === undefined ? rows[0].id : Math.min(q.before, rows[0].id);
    await writeXlsx(app.db, res, { ...q, before: bound }, session!);
  });
}

const COLUMNS = [
  { header: '时间', width: 20, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
  { header: '账号', width: 14 },
  { header: '姓名', width: 12 },
  { header: '角色', width: 12 },
  { header: '操作', width: 24 },
  { header: '对象', width: 24 },
  { header: '详情', width: 60 },
  { header: 'IP', width: 16 },
];
const SHANGHAI_MS = 8 * 3600_000; // China has no daylight saving time.
const BATCH = 5000;
/** Excel refuses longer cells. */
const MAX_CELL = 32_767;

/** Excel times carry no zone: the sheet shows Shanghai wall-clock time, as the page does. */
const excelTime = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_MS);

/** Absent values stay empty cells rather than empty strings, so a filter on "blank" finds them. */
function cells(r: AuditRow): unknown[] {
  const detail = r.detail === null ? null : JSON.stringify(r.detail).slice(0, MAX_CELL);
  return [excelTime(r.at), r.username, r.name, auditRoleLabel(r.role), r.action, r.target, detail, r.ip];
}

/**
 * Streams the matching rows, newest first, in keyset batches, so neither the rows nor the file
 * sit in memory. exceljs 4 hands each sheet's XML to the zip through a PassThrough whose
 * backpressure it ignores; measured on 200,000 rows, writing without waiting on it left 66 MB of
 * XML queued there and the download trailing the rows by seconds. Waiting for it to drain every
 * few hundred rows keeps the backlog at its high-water mark, for a slow client too (the zip
 * stops reading when the socket is full).
 */
async function writeXlsx(db: Db, res: ServerResponse, q: AuditQuery, who: Session): Promise<void> {
  res.writeHead(200, {
    // Chunked even for a client that closes the connection after the answer: otherwise the end of
    // the body is the end of the connection, and a download broken off below would look complete.
    'transfer-encoding': 'chunked',
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="audit-${shanghaiDay(new Date())}.xlsx"`,
    'cache-control': 'no-store',
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  wb.creator = who.name;
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c, i) => ({ ...c, key: String(i) }));
  const sink = sheetSink(ws);
  let written = 0;
  let before = q.before;
  let cut = false;
  try {
    for (;;) {
      // One row past the cap says whether the export was cut.
      const want = Math.min(BATCH, MAX_AUDIT_EXPORT + 1 - written);
      const rows = await page(db, q, want, before);
      const kept = rows.slice(0, MAX_AUDIT_EXPORT - written);
      for (let i = 0; i < kept.length && !res.destroyed; i++) {
        ws.addRow(cells(kept[i])).commit();
        if (i % 500 === 499) await drained(sink, res);
      }
      // The client left: the zip can never finish, so nothing is committed.
      if (res.destroyed) return;
      written += kept.length;
      cut = rows.length > kept.length;
      if (cut || rows.length < want) break;
      before = rows[rows.length - 1].id;
    }
    if (cut) ws.addRow([`（已截断：只导出了最新的 ${MAX_AUDIT_EXPORT} 条，请缩小时间范围后分次导出）`]).commit();
    ws.commit();
    await wb.commit();
  } catch (err) {
    // The headers are gone: all that is left is to break the download so it is not taken as whole.
    console.error('[audit] export failed:', err);
    res.destroy(err as Error);
  }
}

/** A readable-stream 2 PassThrough (archiver's): it predates writableNeedDrain, so its state is read. */
interface Sink extends EventEmitter {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
}

/** Where exceljs 4.4 pipes a sheet's XML (WorksheetWriter.stream → StreamBuf.pipes); in another version, nothing waits. */
function sheetSink(ws: ExcelJS.Worksheet): Sink | undefined {
  const sink = (ws as unknown as { stream?: { pipes?: Sink[] } }).stream?.pipes?.[0];
  return sink instanceof EventEmitter ? sink : undefined;
}

/** Resolves once the sheet's queue has room, or the client is gone (then it never will). */
function drained(sink: Sink | undefined, res: ServerResponse): Promise<void> {
  const full = sink?.writableNeedDrain ?? sink?._writableState?.needDrain;
  if (!sink || !full || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      res.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    res.on('close', done);
  });
}
