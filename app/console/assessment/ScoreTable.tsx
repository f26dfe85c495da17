'use client';

import type { ScoreV1, SubjectKind } from '@/lib/contracts/scores';
import Stars from '@/app/components/Stars';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import FrozenBadge from './FrozenBadge';
import { pts, signed } from './format';
import { subjectName } from './subject';

/** The period's subjects by rank: what was computed, what the district adjusted, the total the stars follow. */
export default function ScoreTable({ scores, kind, selected, onOpen }: { scores: ScoreV1[]; kind: SubjectKind; selected: number | null; onOpen: (id: number) => void }) {
  const byStation = kind !== 'station';
  return (
    <table className={`${admin.table} ${styles.table}`} data-testid="score-table">
      <thead>
        <tr>
          <th className={admin.num}>排名</th><th>名称</th>{byStation && <th>所属工作站</th>}
          <th className={admin.num}>计算得分</th><th className={admin.num}>调整</th><th className={admin.num}>总分</th>
          <th>星级</th><th>状态</th><th>细则版本</th><th className={admin.num}>事件数</th>
        </tr>
      </thead>
      <tbody>
        {scores.map((s) => (
          <tr key={s.id} data-testid={`score-${s.subjectKey}`} aria-selected={s.id === selected}>
            <td className={admin.num}>{s.rank ?? '—'}</td>
            <td><button type="button" className={styles.rowButton} onClick={() => onOpen(s.id)}>{subjectName(s)}</button></td>
            {byStation && <td>{s.stationName}</td>}
            <td className={admin.num}>{pts(s.computedTotal)}</td>
            <td className={admin.num} data-testid="adjustment">{signed(s.adjustment)}</td>
            <td className={admin.num} data-testid="total">{pts(s.total)}</td>
            <td><Stars stars={s.stars} /></td>
            <td><FrozenBadge frozen={s.frozen} frozenAt={s.frozenAt} computedAt={s.computedAt} /></td>
            <td>第 {s.ruleVersion} 版</td>
            <td className={admin.num}>{s.eventCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
