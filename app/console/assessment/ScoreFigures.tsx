import type { IndicatorDefinition } from '@/lib/assessment/indicators';
import type { FigureV1, FiguresV1 } from '@/lib/contracts/scores';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import { percent, pts } from './format';

function valueOf(f: FigureV1, def: IndicatorDefinition | undefined): string {
  if (f.value === null) return '无数据';
  return def?.unit === 'ratio' ? percent(f.value) : pts(f.value);
}

/** The figures the formulas read: value, what it was made of, and the indicator's 口径 on hover. */
export default function ScoreFigures({ figures, indicators }: { figures: FiguresV1; indicators: readonly IndicatorDefinition[] }) {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  // The catalogue's order, so two scores' figures read alike; a code the catalogue lacks still shows, last.
  const codes = [...indicators.map((i) => i.code).filter((c) => c in figures), ...Object.keys(figures).filter((c) => !byCode.has(c))];
  if (codes.length === 0) return <p className={admin.empty}>无指标数据</p>;
  return (
    <table className={admin.table} data-testid="score-figures">
      <thead><tr><th>指标</th><th className={admin.num}>数值</th><th className={admin.num}>分子 / 分母</th></tr></thead>
      <tbody>
        {codes.map((code) => {
          const f = (figures as Record<string, FigureV1>)[code];
          const def = byCode.get(code);
          return (
            <tr key={code} data-testid={`figure-${code}`}>
              <td><span className={styles.hint} title={def ? `${def.name}（${code}）口径：${def.source}` : code}>{def?.name ?? code}</span></td>
              <td className={admin.num}>{valueOf(f, def)}</td>
              <td className={admin.num}>{f.den !== undefined ? `${f.num ?? 0} / ${f.den}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
