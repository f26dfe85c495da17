import ExcelJS from 'exceljs';
import { decodeUtf8, parseCsv } from '@/lib/stats/csv';
import { DomainError } from '../errors';

/** One data row of an uploaded sheet: its row number as the spreadsheet shows it, and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_ROWS = 20_000;

const unreadable = (message: string) => new DomainError('unprocessable', 'unreadable_sheet', message, [{ path: 'body', message }]);

/** The text a cell shows, whatever exceljs made of it (numbers, dates, rich text, formulas, hyperlinks). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('').trim();
  if (typeof v === 'object' && 'result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  return '';
}

/**
 * Reads the first worksheet of an xlsx, or a UTF-8 CSV, into rows keyed by the header row's
 * texts. Row numbers are the spreadsheet's (the header is row 1), so a refusal names the row the
 * operator sees. Blank rows are skipped.
 */
export async function readSheet(bytes: Buffer, kind: 'xlsx' | 'csv', columns: readonly string[]): Promise<{ header: string[]; rows: SheetRow[] }> {
  let header: string[];
  const rows: SheetRow[] = [];
  if (kind === 'csv') {
    const text = decodeUtf8(bytes);
    if (!text.ok) throw unreadable(`第 ${text.line} 行不是 UTF-8 文本（请另存为“CSV UTF-8”）`);
    const parsed = parseCsv(text.text);
    if (!parsed.ok) throw unreadable(parsed.message);
    const [head, ...data] = parsed.records;
    header = (head?.fields ?? []).map((h) => h.trim());
    for (const r of data) rows.push({ row: r.line, cells: Object.fromEntries(header.map((h, i) => [h, (r.fields[i] ?? '').trim()])) });
  } else {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    } catch {
      throw unreadable('文件不是有效的 xlsx 工作簿');
    }
    const sheet = book.worksheets[0];
    if (!sheet) throw unreadable('工作簿中没有工作表');
    header = [];
    sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (header[col - 1] = cellText(cell.value)));
    sheet.eachRow({ includeEmpty: false }, (r, n) => {
      if (n === 1) return;
      const cells = Object.fromEntries(header.map((h, i) => [h, cellText(r.getCell(i + 1).value)]));
      if (Object.values(cells).some((c) => c !== '')) rows.push({ row: n, cells });
    });
  }
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) throw unreadable(`缺少列：${missing.join('、')}（第 1 行须为表头：${columns.join('、')}）`);
  if (rows.length === 0) throw unreadable('没有数据行');
  if (rows.length > MAX_IMPORT_ROWS) throw unreadable(`一次最多导入 ${MAX_IMPORT_ROWS} 行`);
  return { header, rows };
}

/** The column letter of a header in the uploaded file (A, B, … AA), as the spreadsheet labels it. */
export function columnLetter(header: readonly string[], name: string): string {
  let n = header.indexOf(name) + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
