import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { ITEM_KIND_LABEL } from '@/lib/contracts/assessment';
import {
  REPORT_KPIS, REPORT_LIMITS, STARS_TEXT, rankText,
  type ReportKpisV1, type ReportStationV1, type ReportV1,
} from '@/lib/contracts/reports';
import { FIGURES, FIGURE_LABEL } from '@/lib/coverage/figures';
import { kpiName, kpiNumFmt, shanghaiTime, stateLabel } from '@/lib/reports/format';
import { sheetName } from '@/lib/reports/sheet-name';
import type { Db } from '../db/pool';
import { gatherReport, type GatherOptions } from './data';

/*
 * The report as an xlsx workbook (issue 15 point 6), in the form the district files: 汇总, one sheet
 * per station, 排名, 超期清单, 红牌清单, 巡查覆盖, 积分. Written with exceljs's streaming writer
 * (rows are committed as they go, inline strings): a district month of 26 stations and 4,000 people
 * is a few hundred kilobytes. Every sheet prints on A4 fitted to the page width, with its header
 * row frozen. Times are Shanghai wall-clock (Excel times carry no zone).
 */

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Ws = ExcelJS.Worksheet;
type Cell = string | number | Date | null;

const PCT = '0.0%';
const TWO = '0.00';
const ONE = '0.0';
const INT = '0';
const SHANGHAI_MS = 8 * 3600_000;
const excelTime = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_MS);
const BOLD = { bold: true } as const;
const HEAD_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE7F3' } } as const;
const MARGINS = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };

/** A4 (paperSize 9), fitted to one page wide, as many long as it takes. */
function sheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, widths: number[], frozenRows: number, landscape = false): Ws {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: frozenRows }],
    pageSetup: { paperSize: 9, orientation: landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: MARGINS },
    headerFooter: { oddFooter: `&C${name} 第 &P 页，共 &N 页` },
  });
  ws.columns = widths.map((width, i) => ({ key: String(i), width }));
  return ws;
}

/** A row with a number format per column (undefined: general). */
function row(ws: Ws, cells: Cell[], fmts: (string | undefined)[] = [], font?: Partial<ExcelJS.Font>): void {
  const r = ws.addRow(cells);
  cells.forEach((_, i) => {
    const c = r.getCell(i + 1);
    if (fmts[i]) c.numFmt = fmts[i]!;
    if (font) c.font = font;
  });
  r.commit();
}

function header(ws: Ws, cells: string[]): void {
  const r = ws.addRow(cells);
  cells.forEach((_, i) => {
    const c = r.getCell(i + 1);
    c.font = BOLD;
    c.fill = HEAD_FILL;
    c.alignment = { vertical: 'middle', wrapText: true };
  });
  r.commit();
}

const title = (ws: Ws, text: string) => row(ws, [text], [], { bold: true, size: 14 });
const blank = (ws: Ws) => row(ws, []);

/** A KPI table: name, value (in its unit's format), numerator, denominator. */
function kpiRows(ws: Ws, k: ReportKpisV1): void {
  header(ws, ['指标', '数值', '分子', '分母']);
  for (const code of REPORT_KPIS) row(ws, [kpiName(code), k[code].value, k[code].num, k[code].den], [undefined, kpiNumFmt(code), INT, INT]);
}

function statusLine(r: ReportV1): string {
  const rules = r.ruleSet ? `；考评细则：${r.ruleSet.name}（第 ${r.ruleSet.version} 版）` : '；本时段尚未评分';
  return r.frozen
    ? `已封账（${shanghaiTime(r.frozenAt!)}），得分为封账快照${rules}`
    : `未封账：数据截至 ${shanghaiTime(r.generatedAt)}，封账前仍会变化${rules}`;
}

function summarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const district = r.stations.length !== 1 || r.scope === 'district';
  const ws = sheet(wb, sheetName('汇总', names), [22, 14, 12, 12, 12, 12, 12, 12, 12, 10, 10], 3, district);
  title(ws, `${r.scopeName} ${r.label}联动站考评报告`);
  row(ws, [`时段：${r.from} 至 ${r.to}`, null, null, null, `生成：${shanghaiTime(r.generatedAt)}`]);
  row(ws, [r.frozen ? '已封账' : '未封账', statusLine(r)], [], { bold: !r.frozen });
  blank(ws);
  kpiRows(ws, r.summary.kpis);
  blank(ws);
  header(ws, ['考评概况', '数值']);
  row(ws, ['工作站数', r.summary.stations], [undefined, INT]);
  row(ws, ['已评分工作站', r.summary.scored], [undefined, INT]);
  row(ws, ['平均得分', r.summary.averageTotal], [undefined, TWO]);
  for (let s = 5; s >= 0; s--) row(ws, [s > 0 ? `${s} 星工作站` : '未达星级', r.summary.starCounts[s]], [undefined, INT]);
  row(ws, ['超期件数', r.summary.overdue], [undefined, INT]);
  row(ws, ['红牌数', r.summary.redCards], [undefined, INT]);
  row(ws, ['获得积分', r.summary.points], [undefined, INT]);
  blank(ws);
  header(ws, ['工作站', '得分', '星级', '排名', '上报件数', '办结率', '按期办结率', '超期件数', '群众满意率', '巡查覆盖率', '红牌数']);
  for (const s of r.stations) {
    row(ws, [
      s.name, s.score?.total ?? null, s.score ? STARS_TEXT(s.score.stars) : '未评分', s.score ? rankText(s.score.rank, s.score.of) : null,
      s.kpis.reported.value, s.kpis.completion.value, s.kpis.on_time.value, s.kpis.overdue.value, s.kpis.satisfaction.value, s.kpis.coverage.value, s.redCards.count,
    ], [undefined, TWO, undefined, undefined, INT, PCT, PCT, INT, PCT, PCT, INT]);
  }
  ws.commit();
}

function stationSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, s: ReportStationV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName(s.name, names), [22, 14, 12, 12, 12, 12], 2);
  title(ws, `${s.name} ${r.label}考评`);
  const sc = s.score;
  row(ws, sc ? [`得分 ${sc.total.toFixed(2)}`, STARS_TEXT(sc.stars), rankText(sc.rank, sc.of), r.frozen ? '已封账' : '未封账'] : ['本时段尚未评分', null, null, r.frozen ? '已封账' : '未封账'], [], BOLD);
  blank(ws);
  if (sc) {
    header(ws, ['得分', '数值']);
    row(ws, ['计分项得分', sc.earned], [undefined, TWO]);
    row(ws, ['扣分', sc.deducted], [undefined, TWO]);
    row(ws, ['计算得分', sc.computedTotal], [undefined, TWO]);
    row(ws, ['区级调整', sc.adjustment], [undefined, TWO]);
    row(ws, ['总分', sc.total], [undefined, TWO], BOLD);
    row(ws, ['计入事件数', sc.eventCount], [undefined, INT]);
    blank(ws);
    header(ws, ['考评项', '类型', '权重', '得分', '无数据']);
    for (const i of sc.items) row(ws, [i.name, ITEM_KIND_LABEL[i.kind], i.weight, i.points, i.notApplicable ? '不适用' : i.noData ? '是' : ''], [undefined, undefined, INT, TWO]);
    blank(ws);
  }
  kpiRows(ws, s.kpis);
  blank(ws);
  header(ws, ['巡查覆盖', '比率']);
  for (const f of FIGURES) row(ws, [FIGURE_LABEL[f], s.coverage.ratios[f]], [undefined, PCT]);
  row(ws, ['超期件数', s.overdue.count], [undefined, INT]);
  row(ws, ['红牌数', s.redCards.count], [undefined, INT]);
  blank(ws);
  if (s.teams.length) {
    header(ws, ['入驻部门', '得分', '星级', '站内排名', '计入事件数']);
    for (const t of s.teams) row(ws, [t.departmentName, t.total, STARS_TEXT(t.stars), rankText(t.rank, t.of), t.eventCount], [undefined, TWO, undefined, undefined, INT]);
    blank(ws);
  }
  if (s.staff.length) {
    header(ws, ['工作人员', '得分', '星级', '站内排名', '计入事件数', '区级调整']);
    for (const p of s.staff) row(ws, [p.name, p.total, STARS_TEXT(p.stars), rankText(p.rank, p.of), p.eventCount, p.adjustment || null], [undefined, TWO, undefined, undefined, INT, TWO]);
  }
  ws.commit();
}

function rankingSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName('排名', names), [12, 12, 20, 18, 10, 12, 10], 1, true);
  header(ws, ['类别', '名次', '工作站', '部门 / 人员', '得分', '星级', '区级调整']);
  for (const s of r.ranking.stations) row(ws, ['工作站', rankText(s.rank, s.of), s.name, null, s.total, STARS_TEXT(s.stars), s.adjustment || null], [undefined, undefined, undefined, undefined, TWO, undefined, TWO]);
  for (const t of r.ranking.teams) row(ws, ['入驻部门', t.scopeRank, t.stationName, t.departmentName, t.total, STARS_TEXT(t.stars), t.adjustment || null], [undefined, INT, undefined, undefined, TWO, undefined, TWO]);
  for (const p of r.ranking.staffTop) row(ws, ['人员（前列）', p.scopeRank, p.stationName, p.name, p.total, STARS_TEXT(p.stars), p.adjustment || null], [undefined, INT, undefined, undefined, TWO, undefined, TWO]);
  for (const p of r.ranking.staffBottom) row(ws, ['人员（末位）', p.scopeRank, p.stationName, p.name, p.total, STARS_TEXT(p.stars), p.adjustment || null], [undefined, INT, undefined, undefined, TWO, undefined, TWO]);
  if (r.ranking.staffCount > REPORT_LIMITS.staffTopBottom)
    row(ws, [`人员共 ${r.ranking.staffCount} 名，列出前 ${REPORT_LIMITS.staffTopBottom} 名与末 ${REPORT_LIMITS.staffTopBottom} 名；各站全部人员见各站工作表`]);
  ws.commit();
}

/** A note under a bounded list: how many there are in all, and how many are listed. */
function boundedNote(ws: Ws, what: string, limit: number, stations: ReportStationV1[], count: (s: ReportStationV1) => number): void {
  const cut = stations.filter((s) => count(s) > limit);
  if (cut.length) row(ws, [`每站最多列出 ${limit} ${what}；${cut.map((s) => `${s.name}共 ${count(s)} 件`).join('，')}`]);
}

function overdueSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName('超期清单', names), [16, 10, 34, 14, 10, 14, 18, 18, 10], 1, true);
  header(ws, ['工作站', '事件编号', '标题', '类别', '状态', '部门', '上报时间', '超期环节', '超期小时']);
  for (const s of r.stations)
    for (const o of s.overdue.rows)
      row(ws, [s.name, o.eventId, o.title, o.category, stateLabel(o.state), o.departmentName, excelTime(o.reportedAt), o.missed.join('、'), o.hoursLate],
        [undefined, INT, undefined, undefined, undefined, undefined, 'yyyy-mm-dd hh:mm', undefined, ONE]);
  boundedNote(ws, '件（超期最久的在前）', REPORT_LIMITS.overduePerStation, r.stations, (s) => s.overdue.count);
  ws.commit();
}

function redCardSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName('红牌清单', names), [16, 10, 36, 14, 10, 14, 18], 1, true);
  header(ws, ['工作站', '事件编号', '标题', '类别', '状态', '部门', '亮牌时间']);
  for (const s of r.stations)
    for (const c of s.redCards.rows)
      row(ws, [s.name, c.eventId, c.title, c.category, stateLabel(c.state), c.departmentName, excelTime(c.cardedAt)], [undefined, INT, undefined, undefined, undefined, undefined, 'yyyy-mm-dd hh:mm']);
  boundedNote(ws, '张（最近的在前）', REPORT_LIMITS.redCardsPerStation, r.stations, (s) => s.redCards.count);
  ws.commit();
}

function coverageSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName('巡查覆盖', names), [16, 10, 10, 10, 10, 10, 10, 12, 12, 10, 10], 1, true);
  header(ws, ['工作站', '场所清', '人口清', '动态清', '隐患清', '应走访场所', '已走访场所', '应走访人次', '已走访人次', '巡查小时', '应巡查小时']);
  for (const s of r.stations) {
    const t = s.coverage.tally;
    const q = s.coverage.ratios;
    row(ws, [s.name, q.places, q.persons, q.patrol, q.hazards, t.placesOwed, t.placesVisited, t.personVisitsOwed, t.personVisitsMade, t.patrolSeconds / 3600, t.patrolRequiredSeconds / 3600],
      [undefined, PCT, PCT, PCT, PCT, INT, INT, INT, INT, ONE, ONE]);
  }
  ws.commit();
}

function pointsSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, r: ReportV1, names: Set<string>): void {
  const ws = sheet(wb, sheetName('积分', names), [16, 8, 16, 10], 1);
  header(ws, ['工作站', '名次', '姓名', '积分']);
  for (const s of r.stations) {
    for (const p of s.points.rows) row(ws, [s.name, p.rank, p.name, p.points], [undefined, INT, undefined, INT]);
    row(ws, [s.name, null, '本站人员合计', s.points.people], [undefined, undefined, undefined, INT], BOLD);
    if (s.points.residents) row(ws, [s.name, null, '群众合计（不列名）', s.points.residents], [undefined, undefined, undefined, INT]);
  }
  row(ws, [`每站列出积分最高的 ${REPORT_LIMITS.pointsPerStation} 人；时段内获得的积分（含扣回，不含兑换）`]);
  ws.commit();
}

/** The workbook of a gathered report. */
export async function renderXlsx(r: ReportV1): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '联动指挥中心';
  wb.created = new Date(r.generatedAt);
  const names = new Set<string>();
  summarySheet(wb, r, names);
  for (const s of r.stations) stationSheet(wb, r, s, names);
  rankingSheet(wb, r, names);
  overdueSheet(wb, r, names);
  redCardSheet(wb, r, names);
  coverageSheet(wb, r, names);
  pointsSheet(wb, r, names);
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** The report of a period and scope as an xlsx workbook (the scope is already allowed: server/reports/access.ts). */
export async function buildReport(db: Db, period: string, scope: string, opts: GatherOptions = {}): Promise<Buffer> {
  return renderXlsx(await gatherReport(db, period, scope, opts));
}
