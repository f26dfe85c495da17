import ExcelJS from 'exceljs';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { importPeople, PEOPLE_COLUMNS } from '../../master/import-people';
import { readSheet, XLSX_TYPE } from '../../master/sheet';
import { audit } from '../../repo/audit';
import { HttpError } from '../errors';
import { mediaTypeOf, readRaw, type Router } from '../router';

const MAX_SHEET_BYTES = 5 * 1024 * 1024;

/** Bulk imports of master data from xlsx or CSV, all or nothing, refusals named by row and column (issue 10). */
export function importRoutes(router: Router, app: AppContext): void {
  router.add('POST', '/api/v1/import/people', 'manageStation', { body: 'sheet' }, async ({ req, session, ip }) => {
    const kind = mediaTypeOf(req) === 'text/csv' ? 'csv' : 'xlsx';
    const { header, rows } = await readSheet(await readRaw(req, MAX_SHEET_BYTES), kind, PEOPLE_COLUMNS);
    const t0 = Date.now();
    const result = await inTransaction(app.db, async (tx) => {
      const r = await importPeople(tx, session!, header, rows);
      if ('issues' in r) return r;
      await audit(tx, session, { action: 'people.import', detail: { rows: rows.length, kind, firstId: r.ids[0], lastId: r.ids.at(-1) }, ip });
      return r;
    });
    if ('issues' in result) {
      const shown = result.issues.slice(0, 200);
      throw new HttpError(
        422,
        'import_refused',
        `导入被拒绝，没有写入任何数据：共 ${result.issues.length} 处错误，第一处在第 ${shown[0].row} 行 ${shown[0].letter} 列（${shown[0].column}）：${shown[0].message}`,
        shown.map((i) => ({ path: `rows.${i.row}.${i.column}`, message: `第 ${i.row} 行 ${i.letter} 列（${i.column}）：${i.message}` })),
      );
    }
    return { status: 201, body: { imported: result.ids.length, ms: Date.now() - t0 } };
  });

  // The template the operator fills in: the header row and one example.
  router.add('GET', '/api/v1/import/people/template.xlsx', 'manageStation', async ({ res }) => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('人员');
    sheet.addRow([...PEOPLE_COLUMNS]);
    sheet.addRow(['张三', '13800000000', 'ST01', '', '专职网格员', '33050310122201']);
    sheet.columns.forEach((c) => (c.width = 16));
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    res.writeHead(200, { 'content-type': XLSX_TYPE, 'content-disposition': 'attachment; filename="people-template.xlsx"', 'content-length': bytes.length, 'cache-control': 'no-store' });
    res.end(bytes);
  });
}
