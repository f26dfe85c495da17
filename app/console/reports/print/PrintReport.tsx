'use client';

import Link from 'next/link';
import { ITEM_KIND_LABEL } from '@/lib/contracts/assessment';
import { REPORT_KPIS, REPORT_LIMITS, STARS_TEXT, rankText, type ReportKpisV1, type ReportRecordV1, type ReportStationV1, type ReportV1 } from '@/lib/contracts/reports';
import { FIGURES, FIGURE_LABEL } from '@/lib/coverage/figures';
import { kpiName, kpiText, percent, score2, shanghaiTime, stateLabel } from '@/lib/reports/format';
import { useLoad } from '@/app/admin/useLoad';
import styles from './print.module.css';

/**
 * The report as the district prints it for a station's notice board (issue 15 point 6): 汇总, one
 * page per station, 排名, 超期清单, 红牌清单, 巡查覆盖 and 积分, each section from a new A4 page.
 * The figures are the stored document the xlsx was written from (server/reports/store.ts).
 */
const PAGE = '@page { size: A4; margin: 14mm 12mm; } html, body { background: #fff; }';

const Stars = ({ n }: { n: number }) => <span className={styles.stars}>{STARS_TEXT(n)}</span>;

function KpiTable({ k }: { k: ReportKpisV1 }) {
  return (
    <table className={styles.table}>
      <thead><tr><th>指标</th><th>数值</th><th>分子</th><th>分母</th></tr></thead>
      <tbody>
        {REPORT_KPIS.map((code) => (
          <tr key={code}>
            <td>{kpiName(code)}</td>
            <td className={styles.num}>{kpiText(code, k[code])}</td>
            <td className={styles.num}>{k[code].num ?? '—'}</td>
            <td className={styles.num}>{k[code].den ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary({ r }: { r: ReportV1 }) {
  const s = r.summary;
  return (
    <section className={styles.sheet} data-testid="print-summary">
      <h1 className={styles.title}>{r.scopeName}{r.label}联动站考评报告</h1>
      <p className={styles.subtitle}>
        时段：{r.from} 至 {r.to}　{r.frozen ? `已封账（${shanghaiTime(r.frozenAt!)}）` : <span className={styles.open}>未封账：数据截至 {shanghaiTime(r.generatedAt)}</span>}
        {r.ruleSet ? `　考评细则：${r.ruleSet.name}（第 ${r.ruleSet.version} 版）` : '　本时段尚未评分'}
      </p>
      <div className={styles.grid}>
        <div>
          <h2 className={styles.h2}>主要指标</h2>
          <KpiTable k={s.kpis} />
        </div>
        <div>
          <h2 className={styles.h2}>考评概况</h2>
          <table className={styles.table}>
            <tbody>
              <tr><td>工作站数</td><td className={styles.num}>{s.stations}</td></tr>
              <tr><td>已评分工作站</td><td className={styles.num}>{s.scored}</td></tr>
              <tr><td>平均得分</td><td className={styles.num}>{score2(s.averageTotal)}</td></tr>
              {[5, 4, 3, 2, 1, 0].map((n) => <tr key={n}><td>{n > 0 ? `${n} 星工作站` : '未达星级'}</td><td className={styles.num}>{s.starCounts[n]}</td></tr>)}
              <tr><td>超期件数</td><td className={styles.num} data-testid="print-overdue">{s.overdue}</td></tr>
              <tr><td>红牌数</td><td className={styles.num}>{s.redCards}</td></tr>
              <tr><td>获得积分</td><td className={styles.num}>{s.points}</td></tr>
            </tbody>
          </table>
        </div>
      </div>
      {r.stations.length > 1 && (
        <>
          <h2 className={styles.h2}>各站一览</h2>
          <table className={styles.table}>
            <thead><tr><th>工作站</th><th>得分</th><th>星级</th><th>排名</th><th>上报</th><th>办结率</th><th>按期办结率</th><th>超期</th><th>满意率</th><th>覆盖率</th></tr></thead>
            <tbody>
              {r.stations.map((st) => (
                <tr key={st.stationId}>
                  <td>{st.name}</td>
                  <td className={styles.num}>{score2(st.score?.total)}</td>
                  <td>{st.score ? <Stars n={st.score.stars} /> : '未评分'}</td>
                  <td>{st.score ? rankText(st.score.rank, st.score.of) : '—'}</td>
                  <td className={styles.num}>{st.kpis.reported.value ?? '—'}</td>
                  <td className={styles.num}>{percent(st.kpis.completion.value)}</td>
                  <td className={styles.num}>{percent(st.kpis.on_time.value)}</td>
                  <td className={styles.num}>{st.kpis.overdue.value ?? '—'}</td>
                  <td className={styles.num}>{percent(st.kpis.satisfaction.value)}</td>
                  <td className={styles.num}>{percent(st.kpis.coverage.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Station({ r, s }: { r: ReportV1; s: ReportStationV1 }) {
  const sc = s.score;
  return (
    <section className={styles.sheet} data-testid={`print-station-${s.stationId}`}>
      <h2 className={styles.h2}>{s.name} {r.label}考评</h2>
      {sc ? (
        <p className={styles.headline}>
          <span data-testid="print-total">得分 {sc.total.toFixed(2)}</span><Stars n={sc.stars} /><span>{rankText(sc.rank, sc.of)}</span>
          {sc.adjustment !== 0 && <span>（计算 {sc.computedTotal.toFixed(2)}，区级调整 {sc.adjustment > 0 ? '+' : ''}{sc.adjustment.toFixed(2)}）</span>}
        </p>
      ) : <p className={styles.headline}>本时段尚未评分</p>}
      <div className={styles.grid}>
        <div>
          {sc && (
            <>
              <h3 className={styles.h3}>考评项</h3>
              <table className={styles.table}>
                <thead><tr><th>考评项</th><th>类型</th><th>权重</th><th>得分</th></tr></thead>
                <tbody>
                  {sc.items.map((i) => (
                    <tr key={i.code}><td>{i.name}{i.noData ? '（无数据）' : ''}</td><td>{ITEM_KIND_LABEL[i.kind]}</td><td className={styles.num}>{i.weight}</td><td className={styles.num}>{i.points.toFixed(2)}</td></tr>
                  ))}
                  <tr><td>扣分合计</td><td /><td /><td className={styles.num}>{sc.deducted.toFixed(2)}</td></tr>
                </tbody>
              </table>
            </>
          )}
          <h3 className={styles.h3}>巡查覆盖</h3>
          <table className={styles.table}>
            <tbody>{FIGURES.map((f) => <tr key={f}><td>{FIGURE_LABEL[f]}</td><td className={styles.num}>{percent(s.coverage.ratios[f])}</td></tr>)}</tbody>
          </table>
        </div>
        <div>
          <h3 className={styles.h3}>指标</h3>
          <KpiTable k={s.kpis} />
          <p className={styles.note}>超期 {s.overdue.count} 件，红牌 {s.redCards.count} 张，本站人员获得积分 {s.points.people}。</p>
        </div>
      </div>
      {s.teams.length > 0 && (
        <>
          <h3 className={styles.h3}>入驻部门</h3>
          <table className={styles.table}>
            <thead><tr><th>部门</th><th>得分</th><th>星级</th><th>站内排名</th></tr></thead>
            <tbody>{s.teams.map((t) => <tr key={t.departmentCode}><td>{t.departmentName}</td><td className={styles.num}>{t.total.toFixed(2)}</td><td><Stars n={t.stars} /></td><td>{rankText(t.rank, t.of)}</td></tr>)}</tbody>
          </table>
        </>
      )}
      {s.staff.length > 0 && (
        <>
          <h3 className={styles.h3}>工作人员</h3>
          <table className={styles.table}>
            <thead><tr><th>站内排名</th><th>姓名</th><th>得分</th><th>星级</th></tr></thead>
            <tbody>{s.staff.map((p) => <tr key={p.personId}><td>{rankText(p.rank, p.of)}</td><td>{p.name}</td><td className={styles.num}>{p.total.toFixed(2)}</td><td><Stars n={p.stars} /></td></tr>)}</tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Ranking({ r }: { r: ReportV1 }) {
  const k = r.ranking;
  return (
    <section className={styles.sheet}>
      <h2 className={styles.h2}>排名</h2>
      <table className={styles.table}>
        <thead><tr><th>名次</th><th>工作站</th><th>得分</th><th>星级</th><th>区级调整</th></tr></thead>
        <tbody>{k.stations.map((s) => <tr key={s.stationId}><td>{rankText(s.rank, s.of)}</td><td>{s.name}</td><td className={styles.num}>{s.total.toFixed(2)}</td><td><Stars n={s.stars} /></td><td className={styles.num}>{s.adjustment ? s.adjustment.toFixed(2) : ''}</td></tr>)}</tbody>
      </table>
      {k.teams.length > 0 && (
        <>
          <h3 className={styles.h3}>入驻部门</h3>
          <table className={styles.table}>
            <thead><tr><th>名次</th><th>工作站</th><th>部门</th><th>得分</th><th>星级</th></tr></thead>
            <tbody>{k.teams.map((t) => <tr key={`${t.stationName}-${t.departmentCode}`}><td className={styles.num}>{t.scopeRank}</td><td>{t.stationName}</td><td>{t.departmentName}</td><td className={styles.num}>{t.total.toFixed(2)}</td><td><Stars n={t.stars} /></td></tr>)}</tbody>
          </table>
        </>
      )}
      {[['人员（前列）', k.staffTop], ['人员（末位）', k.staffBottom]].map(([label, rows]) => (rows as ReportV1['ranking']['staffTop']).length > 0 && (
        <div key={label as string}>
          <h3 className={styles.h3}>{label as string}</h3>
          <table className={styles.table}>
            <thead><tr><th>名次</th><th>工作站</th><th>姓名</th><th>得分</th><th>星级</th></tr></thead>
            <tbody>{(rows as ReportV1['ranking']['staffTop']).map((p) => <tr key={p.personId}><td className={styles.num}>{p.scopeRank}</td><td>{p.stationName}</td><td>{p.name}</td><td className={styles.num}>{p.total.toFixed(2)}</td><td><Stars n={p.stars} /></td></tr>)}</tbody>
          </table>
        </div>
      ))}
      {k.staffCount > REPORT_LIMITS.staffTopBottom && <p className={styles.note}>人员共 {k.staffCount} 名，列出前 {REPORT_LIMITS.staffTopBottom} 名与末 {REPORT_LIMITS.staffTopBottom} 名。</p>}
    </section>
  );
}

function Lists({ r }: { r: ReportV1 }) {
  return (
    <>
      <section className={styles.sheet}>
        <h2 className={styles.h2}>超期清单</h2>
        <table className={styles.table}>
          <thead><tr><th>工作站</th><th>编号</th><th>标题</th><th>类别</th><th>状态</th><th>上报时间</th><th>超期环节</th><th>超期小时</th></tr></thead>
          <tbody>
            {r.stations.flatMap((s) => s.overdue.rows.map((o) => (
              <tr key={o.eventId}><td>{s.name}</td><td className={styles.num}>{o.eventId}</td><td>{o.title}</td><td>{o.category}</td><td>{stateLabel(o.state)}</td><td>{shanghaiTime(o.reportedAt)}</td><td>{o.missed.join('、')}</td><td className={styles.num}>{o.hoursLate ?? ''}</td></tr>
            )))}
          </tbody>
        </table>
        <p className={styles.note}>每站最多列出超期最久的 {REPORT_LIMITS.overduePerStation} 件；{r.stations.map((s) => `${s.name} ${s.overdue.count} 件`).join('，')}。</p>
      </section>
      <section className={styles.sheet}>
        <h2 className={styles.h2}>红牌清单</h2>
        <table className={styles.table}>
          <thead><tr><th>工作站</th><th>编号</th><th>标题</th><th>类别</th><th>状态</th><th>部门</th><th>亮牌时间</th></tr></thead>
          <tbody>
            {r.stations.flatMap((s) => s.redCards.rows.map((c) => (
              <tr key={`${c.eventId}-${c.cardedAt}`}><td>{s.name}</td><td className={styles.num}>{c.eventId}</td><td>{c.title}</td><td>{c.category}</td><td>{stateLabel(c.state)}</td><td>{c.departmentName ?? ''}</td><td>{shanghaiTime(c.cardedAt)}</td></tr>
            )))}
          </tbody>
        </table>
        <p className={styles.note}>每站最多列出最近的 {REPORT_LIMITS.redCardsPerStation} 张。</p>
      </section>
      <section className={styles.sheet}>
        <h2 className={styles.h2}>巡查覆盖</h2>
        <table className={styles.table}>
          <thead><tr><th>工作站</th>{FIGURES.map((f) => <th key={f}>{FIGURE_LABEL[f]}</th>)}<th>应 / 已走访场所</th><th>应 / 已走访人次</th></tr></thead>
          <tbody>
            {r.stations.map((s) => (
              <tr key={s.stationId}>
                <td>{s.name}</td>
                {FIGURES.map((f) => <td key={f} className={styles.num}>{percent(s.coverage.ratios[f])}</td>)}
                <td className={styles.num}>{s.coverage.tally.placesOwed} / {s.coverage.tally.placesVisited}</td>
                <td className={styles.num}>{s.coverage.tally.personVisitsOwed} / {s.coverage.tally.personVisitsMade}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 className={styles.h2}>积分</h2>
        <table className={styles.table}>
          <thead><tr><th>工作站</th><th>名次</th><th>姓名</th><th>积分</th></tr></thead>
          <tbody>
            {r.stations.flatMap((s) => s.points.rows.map((p) => <tr key={`${s.stationId}-${p.personId}`}><td>{s.name}</td><td className={styles.num}>{p.rank}</td><td>{p.name}</td><td className={styles.num}>{p.points}</td></tr>))}
          </tbody>
        </table>
        <p className={styles.note}>每站列出积分最高的 {REPORT_LIMITS.pointsPerStation} 人；时段内获得的积分（含扣回，不含兑换），群众积分不列名。</p>
      </section>
    </>
  );
}

export default function PrintReport({ period, scope }: { period: string; scope: string }) {
  const q = scope ? `?scope=${encodeURIComponent(scope)}` : '';
  const doc = useLoad<{ report: ReportV1; record: ReportRecordV1 }>(period ? `/api/v1/reports/${encodeURIComponent(period)}.json${q}` : null);
  if (!period) return <main className={styles.screen}><p className={styles.sheet} role="alert">请从“考评报告”页选择时段。</p></main>;
  if (doc.error) return <main className={styles.screen}><p className={styles.sheet} role="alert">{doc.error}</p></main>;
  if (!doc.data) return <main className={styles.screen}><p className={styles.sheet}>加载中…</p></main>;
  const r = doc.data.report;
  return (
    <main className={styles.screen} data-testid="report-print" data-frozen={r.frozen}>
      <style>{PAGE}</style>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => window.print()}>打印</button>
        <Link href="/console/reports">返回考评报告</Link>
      </div>
      <Summary r={r} />
      {r.stations.map((s) => <Station key={s.stationId} r={r} s={s} />)}
      <Ranking r={r} />
      <Lists r={r} />
      <p className={styles.footer}>文件 SHA-256：{doc.data.record.sha256.slice(0, 16)}…　生成：{shanghaiTime(r.generatedAt)}</p>
    </main>
  );
}
