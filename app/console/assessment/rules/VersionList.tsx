import { RULE_SET_STATE_LABEL, type RuleSetRecordV1 } from '@/lib/contracts/assessment';
import admin from '@/app/admin/admin.module.css';
import styles from '../assessment.module.css';
import { at } from '../format';

/** The versions, newest year first, each with its state (草稿 / 生效 / 已停用). */
export default function VersionList({ versions, selected, onOpen }: { versions: RuleSetRecordV1[]; selected: number | null; onOpen: (id: number) => void }) {
  return (
    <table className={`${admin.table} ${styles.table}`} data-testid="rule-versions">
      <thead><tr><th>年度</th><th>版本</th><th>名称</th><th>状态</th><th>创建</th><th>生效于</th></tr></thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.id} aria-selected={v.id === selected} data-testid={`rule-${v.id}`} data-retired={v.state === 'retired'}>
            <td>{v.year}</td>
            <td><button type="button" className={styles.rowButton} onClick={() => onOpen(v.id)}>第 {v.version} 版</button></td>
            <td>{v.name}</td>
            <td><span className={`${admin.badge} ${v.state === 'active' ? styles.frozen : v.state === 'draft' ? styles.open : ''}`} data-state={v.state}>{RULE_SET_STATE_LABEL[v.state]}</span></td>
            <td>{v.createdByName ?? '系统'} · {at(v.createdAt)}</td>
            <td>{at(v.activatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
