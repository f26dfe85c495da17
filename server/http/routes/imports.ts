import ExcelJS from 'exceljs';
import type { Permission } from '@/lib/roles';
import type { Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { inTransaction, type Tx } from '../../db/pool';
import { importPeople, PEOPLE_COLUMNS, type RowIssue } from '../../master/import-people';
import { importStations, STATION_COLUMNS } from '../../master/import-stations';
import { importUnits, UNIT_COLUMNS } from '../../master/import-units';
import { importPlaces, PLACE_COLUMNS } from '../../master/import-places';
import { importKeyPersons, KEY_PERSON_COLUMNS } from '../../master/import-key-persons';
import { readSheet, XLSX_TYPE, type SheetRow } from '../../master/sheet';
import { audit } from '../../repo/audit';
import { DomainError } from '../../errors';
import { mediaTypeOf, readRaw, type Router } from '../router';

const MAX_SHEET_BYTES = 5 * 1024 * 1024;

type Importer = (tx: Tx, who: Session, header: string[], rows: readonly SheetRow[]) => Promise<{ ids: number[] } | { issues: RowIssue<string>[] }>;

/** What each sheet holds, who may import it, and an example row for its template. */
const KINDS: Record<string, { columns: readonly string[]; access: Permission; run: Importer; example: string[]; sheet: string }> = {
  people: { columns: PEOPLE_COLUMNS, access: 'manageStation', run: importPeople, sheet: '人员', example: ['张三', '13800000000', 'ST01', '', '专职网格员', '33050310122201'] },
  stations: { columns: STATION_COLUMNS, access: 'manageSystem', run: importStations, sheet: '工作站', example: ['ST27', '某某片区联动工作站', '330503101', '120.42', '30.87', '330503101201、330503101202'] },
  units: { columns: UNIT_COLUMNS, access: 'manageStation', run: importUnits, sheet: '单位', example: ['ST01-gridder-9', '张三', '网格员', '步巡', 'ST01', '13800000000', '', '33050310122201'] },
  // Registers of issue 12: points as WGS-84 longitude and latitude; the 网格 cell may be left empty, and if given must be the point's grid.
  places: { columns: PLACE_COLUMNS, access: 'editPlaces', run: importPlaces, sheet: '重点场所', example: ['某某农贸市场', '农贸市场', '中', '南浔镇某某路 1 号', '120.3535', '30.8682', ''] },
  'key-persons': {
    columns: KEY_PERSON_COLUMNS, access: 'editKeyPersons', run: importKeyPersons, sheet: '重点人员',
    example: ['张三', '330503198001010016', '13800000000', '独居老人', '', '南浔镇某某村 3 组 12 号', '120.3535', '30.8682', '', ''],
  },
};

/** Bulk imports of master data from xlsx or CSV, all or nothing, refusals named by row and column (issue 10). */
export function importRoutes(router: Router, app: AppContext): void {
  for (const [kind, spec] of Object.entries(KINDS)) {
    router.add('POST', `/api/v1/import/${kind}`, spec.access, {
      body: 'sheet',
      doc: {
        summary: `批量导入${spec.sheet}`,
        description:
          `xlsx 工作簿（第一个工作表）或 UTF-8 CSV，最大 ${MAX_SHEET_BYTES / 1024 / 1024} MB；第 1 行为表头：${spec.columns.join('、')}。` +
          `全部或全不：任一处有误则什么都不写入，issues 逐处指出行与列（最多 200 处）。模板见 GET /api/v1/import/${kind}/template.xlsx。`,
        example: `${spec.columns.join(',')}\r\n${spec.example.join(',')}\r\n`,
        responses: { 201: { description: '已导入', schema: { type: 'object', properties: { imported: { type: 'integer' }, ms: { type: 'integer' } }, required: ['imported', 'ms'] } } },
        errors: { 413: `超过 ${MAX_SHEET_BYTES / 1024 / 1024} MB`, 422: '文件无法读取，或有行出错（未写入任何数据）' },
      },
    }, async ({ req, session, ip }) => {
      const format = mediaTypeOf(req) === 'text/csv' ? 'csv' : 'xlsx';
      const { header, rows } = await readSheet(await readRaw(req, MAX_SHEET_BYTES), format, spec.columns);
      const t0 = Date.now();
      const result = await inTransaction(app.db, async (tx) => {
        const r = await spec.run(tx, session!, header, rows);
        if ('ids' in r) await audit(tx, session, { action: `${kind}.import`, detail: { rows: rows.length, kind: format, firstId: r.ids[0], lastId: r.ids.at(-1) }, ip });
        return r;
      });
      if ('issues' in result) {
        // A refused register import still told its sender something about the register: on record.
        if (kind === 'key-persons') await audit(app.db, session, { action: `${kind}.import_refused`, detail: { rows: rows.length, issues: result.issues.length, kind: format }, ip });
        const shown = result.issues.slice(0, 200);
        throw new DomainError('unprocessable',
          'import_refused',
          `导入被拒绝，没有写入任何数据：共 ${result.issues.length} 处错误，第一处在第 ${shown[0].row} 行 ${shown[0].letter} 列（${shown[0].column}）：${shown[0].message}`,
          shown.map((i) => ({ path: `rows.${i.row}.${i.column}`, message: `第 ${i.row} 行 ${i.letter} 列（${i.column}）：${i.message}` })),
        );
      }
      if (kind === 'stations' || kind === 'units') await app.live?.units.load();
      return { status: 201, body: { imported: result.ids.length, ms: Date.now() - t0 } };
    });

    // The template the operator fills in: the header row and one example.
    router.add('GET', `/api/v1/import/${kind}/template.xlsx`, spec.access, {
      doc: { summary: `${spec.sheet}导入模板`, description: '表头一行与示例一行。', responses: { 200: { description: 'xlsx 工作簿', types: [XLSX_TYPE] } } },
    }, async ({ res }) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet(spec.sheet);
      sheet.addRow([...spec.columns]);
      sheet.addRow(spec.example);
      sheet.columns.forEach((c) => (c.width = 18));
      const bytes = Buffer.from(await book.xlsx.writeBuffer());
      res.writeHead(200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${kind}-template.xlsx"`, 'content-length': bytes.length, 'cache-control': 'no-store' });
      res.end(bytes);
    });
  }
}
