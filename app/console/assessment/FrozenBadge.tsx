import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import { at } from './format';

/** 已封账: the snapshot the period's end froze (later edits of its events do not change it); 计算中 until then. */
export default function FrozenBadge({ frozen, frozenAt, computedAt }: { frozen: boolean; frozenAt: string | null; computedAt: string }) {
  return frozen
    ? <span className={`${admin.badge} ${styles.frozen}`} title={`封账于 ${at(frozenAt)}`} data-testid="frozen">已封账</span>
    : <span className={`${admin.badge} ${styles.open}`} title={`最近计算于 ${at(computedAt)}`}>计算中</span>;
}
