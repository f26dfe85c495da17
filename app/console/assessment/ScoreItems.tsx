import { ITEM_KIND_LABEL } from '@/lib/contracts/assessment';
import type { ScoreItemV1 } from '@/lib/contracts/scores';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import { pts } from './format';

/** The rule's items as this subject scored them; 无数据 where the figure had nothing to count (full marks, nothing taken off), 不适用 where the item is not measured of this kind of subject (left out, the rest scaled to 100). */
export default function ScoreItems({ items }: { items: ScoreItemV1[] }) {
  return (
    <table className={admin.table} data-testid="score-items">
      <thead><tr><th>考评项</th><th>类型</th><th className={admin.num}>分值</th><th className={admin.num}>得分</th></tr></thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.code} data-testid={`item-${i.code}`}>
            <td>{i.name}{i.notApplicable
              ? <span className={styles.noData} title="该项指标不考评此类对象：不计入，其余计分项按 100 分折算">不适用</span>
              : i.noData && <span className={styles.noData} title="该项指标在本时段无数据：计分项按满分计，扣分项不扣分">无数据</span>}</td>
            <td>{ITEM_KIND_LABEL[i.kind]}</td>
            <td className={admin.num}>{pts(i.weight)}</td>
            <td className={`${admin.num} ${i.kind === 'deduction' && i.points > 0 ? styles.deduction : ''}`}>{i.kind === 'deduction' && i.points > 0 ? `−${pts(i.points)}` : pts(i.points)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
