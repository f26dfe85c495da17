import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseCsv, parseStatsCsv } from './csv';

const TODAY = '2026-03-31';

describe('parseCsv', () => {
  it('splits on commas and on LF or CRLF, numbering lines from 1', () => {
    const r = parseCsv('a,b\r\nc,d\ne,f');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
        { line: 3, fields: ['e', 'f'] },
      ],
    });
  });

  it('keeps commas, doubled quotes and line breaks inside quotes; a record starts on its first line', () => {
    const r = parseCsv('h1,h2\r\n"x, y","say ""hi"""\r\n"two\r\nlines",z\r\nlast,1\r\n');
    expect(r.ok && r.records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\r\nlines', 'z'] },
      { line: 5, fields: ['last', '1'] },
    ]);
  });

  it('skips blank lines but keeps empty fields and a quoted empty field', () => {
    const r = parseCsv('a,,c\n\n\r\n""\n,\n');
    expect(r.ok && r.records).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['', ''] },
    ]);
  });

  it('drops a byte-order mark', () => {
    expect(parseCsv('\ufeffdate,count').ok && (parseCsv('\ufeffdate,count') as { records: { fields: string[] }[] }).records[0].fields).toEqual(['date', 'count']);
  });

  it('refuses an unclosed quote, naming the line it opened on, and text glued to a closing quote', () => {
    expect(parseCsv('a,b\n"open,\nstill open')).toEqual({ ok: false, line: 2, message: expect.stringContaining('第 2 行') });
    expect(parseCsv('a\n"x"y,1')).toMatchObject({ ok: false, line: 2 });
  });

  it('takes a stray quote inside an unquoted field literally', () => {
    expect(parseCsv('5" pipe,1')).toEqual({ ok: true, records: [{ line: 1, fields: ['5" pipe', '1'] }] });
  });

  it('reads an empty input as no records', () => {
    expect(parseCsv('')).toEqual({ ok: true, records: [] });
    expect(parseCsv('\ufeff\r\n')).toEqual({ ok: true, records: [] });
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops the BOM', () => {
    expect(decodeUtf8(Buffer.from('\ufeff日期,数量', 'utf8'))).toEqual({ ok: true, text: '日期,数量' });
  });

  it('refuses other encodings and says on which line', () => {
    // "a\nb\n" then 0xC4 0xFA, "中" in GBK, which is not valid UTF-8.
    const gbk = Uint8Array.from([0x61, 0x0a, 0x62, 0x0a, 0xd6, 0xd0]);
    expect(decodeUtf8(gbk)).toEqual({ ok: false, line: 3 });
  });
});

describe('parseStatsCsv', () => {
  const head = 'date,category,region_code,count';

  it('reads good rows, in any column order, trimming fields', () => {
    const r = parseStatsCsv(`${head}\r\n2026-03-01,dispute,330503001,3\r\n2026-03-02, hazard.fire ,330503001001, 0\r\n`, TODAY);
    expect(r.reports).toEqual([
      { row: 2, ok: true },
      { row: 3, ok: true },
    ]);
    expect(r.rows).toEqual([
      { line: 2, day: '2026-03-01', category: 'dispute', regionCode: '330503001', count: 3 },
      { line: 3, day: '2026-03-02', category: 'hazard.fire', regionCode: '330503001001', count: 0 },
    ]);
    const reordered = parseStatsCsv('COUNT,region_code,date,category\n7,330503,2026-01-01,other', TODAY);
    expect(reordered.rows).toEqual([{ line: 2, day: '2026-01-01', category: 'other', regionCode: '330503', count: 7 }]);
  });

  it('names the field and line of every bad row', () => {
    const csv = [
      head,
      '2026-02-30,dispute,330503,1', // 2: no such day
      '2026/03/01,dispute,330503,1', // 3: wrong format
      '2026-03-01,Dispute!,330503,1', // 4: not a category code
      '2026-03-01,dispute,,1', // 5: empty region
      '2026-03-01,dispute,330503,-1', // 6: negative
      '2026-03-01,dispute,330503,2.5', // 7: fraction
      '2026-03-01,dispute,330503', // 8: a column short
      '2026-04-01,dispute,330503,1', // 9: after today
      '2026-03-01,dispute,330503,99999999999', // 10: beyond int4
      '1926-03-01,dispute,330503,1', // 11: a typo for 2026
      '2026-03-01,dispute,330503,1', // 12: fine
      '2026-03-01,dispute,330503,4', // 13: same key as 12
    ].join('\n');
    const r = parseStatsCsv(csv, TODAY);
    const bad = r.reports.filter((x) => !x.ok).map((x) => (x.ok ? null : [x.row, x.field]));
    expect(bad).toEqual([
      [2, 'date'],
      [3, 'date'],
      [4, 'category'],
      [5, 'region_code'],
      [6, 'count'],
      [7, 'count'],
      [8, 'row'],
      [9, 'date'],
      [10, 'count'],
      [11, 'date'],
      [13, 'row'],
    ]);
    expect(r.reports.find((x) => x.row === 13)).toMatchObject({ message: expect.stringContaining('第 12 行') });
    expect(r.reports.find((x) => x.row === 6)).toMatchObject({ message: '数量须为不小于 0 的整数' });
    expect(r.rows.map((x) => x.line)).toEqual([12]);
    expect(r.dataRows).toBe(12);
  });

  it('reports the first bad column of a row in column order', () => {
    const r = parseStatsCsv(`${head}\nnope,NOPE,,x`, TODAY);
    expect(r.reports).toEqual([{ row: 2, ok: false, field: 'date', message: expect.any(String) }]);
  });

  it('requires the header: missing, unknown or repeated columns, or an empty file', () => {
    expect(parseStatsCsv('', TODAY).reports).toEqual([{ row: 1, ok: false, field: 'header', message: expect.stringContaining(head) }]);
    expect(parseStatsCsv('2026-03-01,dispute,330503,1', TODAY).reports[0]).toMatchObject({ row: 1, field: 'header' });
    expect(parseStatsCsv('date,category,region_code', TODAY).reports[0]).toMatchObject({ field: 'header', message: expect.stringContaining('count') });
    expect(parseStatsCsv('date,category,region_code,count,note', TODAY).reports[0]).toMatchObject({ field: 'header', message: expect.stringContaining('note') });
    expect(parseStatsCsv('date,date,region_code,count', TODAY).reports[0]).toMatchObject({ field: 'header', message: expect.stringContaining('重复') });
  });

  it('a header with a BOM and no rows is an empty upload, not an error', () => {
    expect(parseStatsCsv(`\ufeff${head}\r\n`, TODAY)).toEqual({ rows: [], reports: [], dataRows: 0 });
  });

  it('a broken quote is reported against the body, at its line', () => {
    expect(parseStatsCsv(`${head}\n2026-03-01,"dispute,330503,1`, TODAY).reports).toEqual([
      { row: 2, ok: false, field: 'body', message: expect.stringContaining('引号') },
    ]);
  });
});
