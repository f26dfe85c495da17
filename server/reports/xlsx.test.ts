import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { REPORT_KPIS, REPORT_LIMITS, type ReportKpisV1, type ReportStationV1, type ReportV1 } from '@/lib/contracts/reports';
import { EMPTY_TALLY, ratios } from '@/lib/coverage/figures';
import { renderXlsx } from './xlsx';

/*
 * The workbook's shape at the scale without a database (issue 15: a district month of 26
 * stations and 4,000 people ≤ 5 MB): every list at its bound, station names Excel would refuse as
 * sheet names, and what a printed sheet needs — A4, frozen header, number formats.
 */

const kpis = (): ReportKpisV1 => Object.fromEntries(REPORT_KPIS.map((c, i) => [c, { value: i % 2 ? 0.8765 : 123, num: 120, den: 150 }])) as ReportKpisV1;
const score = (total: number, rank: number, of: number) => ({ total, computedTotal: total, adjustment: 0, earned: total, deducted: 0, stars: 3, rank, of, eventCount: 3200 });

function worstMonth(): ReportV1 {
  const names = ['练市镇[东]联动站', '南浔/双林:联动站?', ...Array.from({ length: 24 }, (_, i) => `南浔区第${i + 3}社会治理联动工作站（试点扩展名称很长很长）`)];
  const stations: ReportStationV1[] = names.map((name, s) => ({
    stationId: s + 1,
    name,
    kpis: kpis(),
    score: { ...score(90 - s, s + 1, 26), items: Array.from({ length: 14 }, (_, i) => ({ code: `i${i}`, name: `考评项${i}`, kind: i > 9 ? 'deduction' : 'score', weight: 10, points: 7.5, noData: false })) },
    teams: Array.from({ length: 8 }, (_, i) => ({ ...score(80, i + 1, 8), departmentCode: `d${i}`, departmentName: `部门${i}` })),
    staff: Array.from({ length: 154 }, (_, i) => ({ ...score(95 - i / 4, i + 1, 154), personId: s * 1000 + i, name: `人员${s}-${i}`, stationName: name })),
    overdue: {
      count: 400,
      rows: Array.from({ length: REPORT_LIMITS.overduePerStation }, (_, i) => ({
        eventId: s * 100_000 + i, title: `占道经营反复发生需联合整治的事件标题第${i}件`, category: '市容环境', state: 'in_progress', departmentName: '综合执法',
        reportedAt: '2026-11-03T06:05:00.000Z', missed: ['办理超期', '红牌'], hoursLate: 37.5,
      })),
    },
    redCards: {
      count: 80,
      rows: Array.from({ length: REPORT_LIMITS.redCardsPerStation }, (_, i) => ({
        eventId: s * 100_000 + i, title: `红牌督办事件第${i}件`, category: '矛盾纠纷', state: 'closed', departmentName: '司法所', cardedAt: '2026-11-05T01:00:00.000Z',
      })),
    },
    coverage: { tally: { ...EMPTY_TALLY, placesOwed: 300, placesVisited: 280 }, ratios: ratios({ ...EMPTY_TALLY, placesOwed: 300, placesVisited: 280 }) },
    points: { people: 5000, residents: 300, rows: Array.from({ length: REPORT_LIMITS.pointsPerStation }, (_, i) => ({ rank: i + 1, personId: s * 1000 + i, name: `人员${s}-${i}`, points: 200 - i })) },
  }));
  const people = stations.flatMap((s) => s.staff).map((p, i) => ({ ...p, scopeRank: i + 1 }));
  return {
    v: 1, period: '2026-11', periodKind: 'month', label: '2026年11月', from: '2026-11-01', to: '2026-11-30', scope: 'district', scopeName: '南浔区',
    frozen: true, frozenAt: '2026-12-01T00:10:00.000Z', generatedAt: '2026-12-01T00:20:00.000Z', ruleSet: { id: 1, year: 2026, version: 2, name: '2026 年度联动站考评细则' },
    summary: { kpis: kpis(), stations: 26, scored: 26, starCounts: [0, 2, 6, 10, 6, 2], averageTotal: 77.5, overdue: 10_400, redCards: 2080, points: 137_800 },
    stations,
    ranking: {
      stations: stations.map((s) => ({ rank: s.score!.rank, of: 26, stationId: s.stationId, name: s.name, total: s.score!.total, stars: 3, adjustment: 0 })),
      teams: stations.flatMap((s) => s.teams.map((t) => ({ ...t, stationName: s.name, scopeRank: 1 }))),
      staffTop: people.slice(0, 20), staffBottom: people.slice(-20).reverse(), staffCount: people.length,
    },
  };
}

describe('the workbook of a district month at the issue’s scale', () => {
  it('stays under 5 MB, names every sheet as Excel allows, and prints on A4 with a frozen header', async () => {
    const t0 = performance.now();
    const bytes = await renderXlsx(worstMonth());
    const ms = performance.now() - t0;
    console.log(`[reports] 26 stations, 4,004 people, every list at its bound: ${bytes.length} bytes rendered in ${ms.toFixed(0)} ms`);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toHaveLength(26 + 6);
    expect(names[1]).toBe('练市镇_东_联动站');
    expect(names[2]).toBe('南浔_双林_联动站_');
    for (const n of names) {
      expect([...n].length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[:\\/?*[\]]/);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);

    const od = wb.getWorksheet('超期清单')!;
    expect(od.rowCount).toBe(1 + 26 * REPORT_LIMITS.overduePerStation + 1);
    expect(od.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(od.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    expect(od.getRow(2).getCell(7).numFmt).toBe('yyyy-mm-dd hh:mm');
    // Shanghai wall-clock: 06:05 UTC is 14:05 in the sheet.
    expect((od.getRow(2).getCell(7).value as Date).toISOString()).toBe('2026-11-03T14:05:00.000Z');
    expect(od.getRow(od.rowCount).getCell(1).value).toMatch(/每站最多列出 50 件/);

    const sum = wb.getWorksheet('汇总')!;
    const onTime = sum.getRow(7);
    expect(onTime.getCell(1).value).toBe('办结率');
    expect(onTime.getCell(2).numFmt).toBe('0.0%');
    expect(sum.getColumn(1).width).toBe(22);
  });
});
