'use client';

import type { PointsRule } from '@/lib/points/rules';
import { WHO_LABEL } from '@/lib/points/rules';
import { signed } from '@/lib/points/view';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

/** The points table (points_rules), read-only here: it is data, changed by the district. */
export default function RulesTable() {
  const rules = useLoad<PointsRule[]>('/api/v1/points/rules');
  if (rules.error) return <p className={styles.formError} role="alert">{rules.error}</p>;
  if (!rules.data) return <p className={styles.loading}>加载中…</p>;
  return (
    <table className={styles.table} data-testid="points-rules">
      <thead><tr><th>代码</th><th>事项</th><th>适用对象</th><th className={styles.num}>分值</th><th>状态</th></tr></thead>
      <tbody>
        {rules.data.map((r) => (
          <tr key={r.code} data-retired={!r.active}>
            <td className={styles.code}>{r.code}</td>
            <td>{r.label}</td>
            <td>{WHO_LABEL[r.who]}</td>
            <td className={styles.num}>{signed(r.points)}</td>
            <td>{r.active ? '生效' : '停用'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
