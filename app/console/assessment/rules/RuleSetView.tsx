import type { IndicatorDefinition } from '@/lib/assessment/indicators';
import { ITEM_KIND_LABEL, type RuleSetV1 } from '@/lib/contracts/assessment';
import Stars from '@/app/components/Stars';
import admin from '@/app/admin/admin.module.css';
import styles from '../assessment.module.css';

/** One version as it reads: items with their indicators (口径 on hover), weights and formulas; the deduction cap; the star bands. */
export default function RuleSetView({ rules, indicators }: { rules: RuleSetV1; indicators: readonly IndicatorDefinition[] }) {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const last = rules.stars.length - 1;
  return (
    <>
      <table className={admin.table} data-testid="rule-items">
        <thead><tr><th>编码</th><th>考评项</th><th>类型</th><th>指标</th><th className={admin.num}>分值</th><th>计分公式</th><th>说明</th></tr></thead>
        <tbody>
          {rules.items.map((i) => (
            <tr key={i.code}>
              <td className={admin.code}>{i.code}</td>
              <td>{i.name}</td>
              <td className={i.kind === 'deduction' ? styles.deduction : undefined}>{ITEM_KIND_LABEL[i.kind]}</td>
              <td>{i.indicators.map((c, n) => (
                <span key={c}>{n > 0 && '、'}<span className={styles.hint} title={byCode.get(c) ? `${c} 口径：${byCode.get(c)!.source}` : c}>{byCode.get(c)?.name ?? c}</span></span>
              ))}</td>
              <td className={admin.num}>{i.weight}</td>
              <td className={styles.formula}>{i.formula}</td>
              <td>{i.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={admin.hint} style={{ marginTop: 12 }}>扣分项合计最多扣 <b data-testid="deduction-cap">{rules.deductionCap}</b> 分；总分 = 计分项得分 − 扣分（不低于 0），再加区级人工调整。</p>
      <table className={admin.table} data-testid="star-bands" style={{ maxWidth: 420 }}>
        <thead><tr><th>星级</th><th>总分区间</th></tr></thead>
        <tbody>
          {rules.stars.map((b, i) => <tr key={b.stars}><td><Stars stars={b.stars} /></td><td>{b.min} ≤ 总分 {i === last ? '≤' : '<'} {b.max}</td></tr>)}
        </tbody>
      </table>
    </>
  );
}
