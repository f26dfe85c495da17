import { STATS_COLUMNS, StatsCsvRow, type StatsColumn, type StatsField, type StatsRowReport, type StatsRowV1 } from '../contracts/stats';

/** One CSV record and the line of the file it starts on (1-based; quoted newlines make records span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

/**
 * RFC 4180 CSV: comma-separated, records end in CRLF or LF, a field in double quotes may hold
 * commas, line breaks and doubled quotes. Blank lines are skipped (spreadsheets leave them at the
 * end). A leading byte-order mark is dropped: Excel writes one into "CSV UTF-8" files.
 */
export function parseCsv(input: string): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let justClosedQuote = false;
  // A record of one quoted empty field ("") is data, not a blank line.
  let recordQuoted = false;
  let line = 1;
  let recordLine = 1;

  const endRecord = () => {
    fields.push(field);
    if (recordQuoted || fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    recordQuoted = false;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (justClosedQuote && c !== ',' && c !== '\n' && c !== '\r')
      return { ok: false, line, message: `第 ${line} 行：引号闭合后须紧跟逗号或换行` };
    justClosedQuote = false;
    if (c === '"' && field === '') {
      const openedOn = line;
      for (i++; ; i++) {
        if (i >= text.length) return { ok: false, line: openedOn, message: `第 ${openedOn} 行的引号没有闭合` };
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        } else if (text[i] === '\n') line++;
        field += text[i];
      }
      i++;
      justClosedQuote = true;
      recordQuoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      recordLine = ++line;
    } else {
      // Unquoted fields take what they find, a stray quote included, as spreadsheets do.
      field += c;
      i++;
    }
  }
  if (field !== '' || recordQuoted || fields.length > 0) endRecord();
  return { ok: true, records };
}

/** Decodes UTF-8 strictly; on a bad byte, the line it is on (for the row-by-row answer). */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: number } {
  try {
    // The decoder drops a leading BOM itself.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\ufffd');
    return { ok: false, line: lossy.slice(0, Math.max(at, 0)).split('\n').length };
  }
}

export interface StatsParse {
  /** The rows that passed every check here, in file order. */
  rows: StatsRowV1[];
  /** One report per data row (or one for the header or the file when those are wrong), in file order. */
  reports: StatsRowReport[];
  /** Data rows in the file, good or bad. */
  dataRows: number;
}

const fail = (row: number, field: StatsField, message: string): StatsRowReport => ({ row, ok: false, field, message });

/**
 * Reads a statistics CSV (lib/contracts/stats): the header names the four columns in any order;
 * every row is checked for shape, and a day, category and region given twice is refused on its
 * second line, since it is ambiguous which count is meant. `today` (YYYY-MM-DD, Asia/Shanghai)
 * bounds the dates: statistics are of days that have happened.
 */
export function parseStatsCsv(text: string, today: string): StatsParse {
  const csv = parseCsv(text);
  if (!csv.ok) return { rows: [], reports: [fail(csv.line, 'body', csv.message)], dataRows: 0 };
  const [head, ...data] = csv.records;
  const expected = STATS_COLUMNS.join(',');
  if (!head) return { rows: [], reports: [fail(1, 'header', `文件为空：第 1 行须为表头 ${expected}`)], dataRows: 0 };

  const names = head.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<StatsColumn, number>();
  for (const [i, name] of names.entries()) {
    const column = STATS_COLUMNS.find((c) => c === name);
    if (!column)
      return { rows: [], reports: [fail(head.line, 'header', `表头有未知的列 "${head.fields[i]}"：须为 ${expected}`)], dataRows: data.length };
    if (index.has(column))
      return { rows: [], reports: [fail(head.line, 'header', `表头的列 "${column}" 重复：须为 ${expected}`)], dataRows: data.length };
    index.set(column, i);
  }
  const missing = STATS_COLUMNS.filter((c) => !index.has(c));
  if (missing.length)
    return { rows: [], reports: [fail(head.line, 'header', `表头缺少列 ${missing.join('、')}：须为 ${expected}`)], dataRows: data.length };

  const rows: StatsRowV1[] = [];
  const reports: StatsRowReport[] = [];
  const seen = new Map<string, number>();
  for (const rec of data) {
    if (rec.fields.length !== STATS_COLUMNS.length) {
      reports.push(fail(rec.line, 'row', `应有 ${STATS_COLUMNS.length} 列（${expected}），实有 ${rec.fields.length} 列`));
      continue;
    }
    const raw = Object.fromEntries(STATS_COLUMNS.map((c) => [c, rec.fields[index.get(c)!].trim()]));
    const parsed = StatsCsvRow.safeParse(raw);
    if (!parsed.success) {
      // Report the first column at fault, in column order, so the message is stable.
      const issue = parsed.error.issues
        .slice()
        .sort((a, b) => STATS_COLUMNS.indexOf(a.path[0] as StatsColumn) - STATS_COLUMNS.indexOf(b.path[0] as StatsColumn))[0];
      reports.push(fail(rec.line, issue.path[0] as StatsColumn, issue.message));
      continue;
    }
    const { date, category, region_code: regionCode, count } = parsed.data;
    if (date > today) {
      reports.push(fail(rec.line, 'date', `日期 ${date} 晚于今天（${today}），统计须为已过去的日子`));
      continue;
    }
    const key = `${date}\u0000${category}\u0000${regionCode}`;
    const first = seen.get(key);
    if (first !== undefined) {
      reports.push(fail(rec.line, 'row', `与第 ${first} 行的日期、分类、区划相同；同一天同一分类同一区划只能有一个数量`));
      continue;
    }
    seen.set(key, rec.line);
    rows.push({ line: rec.line, day: date, category, regionCode, count });
    reports.push({ row: rec.line, ok: true });
  }
  return { rows, reports, dataRows: data.length };
}
