'use client';

import { useEffect, useState } from 'react';
import type { LedgerV1 } from '@/lib/contracts/points';
import { ENTRY_KIND_LABEL, entryKind, signed } from '@/lib/points/view';
import { http } from '@/app/http';
import { formatDateTime } from './format';
import s from './field.module.css';

/**
 * 我的积分 (issue 15 point 5, S14: rewards for grid reports): the balance and the latest entries of
 * the account's person — valid reports, closing on time, joint inspections, and what was taken
 * back when a report was found false. Read when the tab opens; 刷新 reads again.
 */
export default function PointsTab({ active }: { active: boolean }) {
  const [data, setData] = useState<LedgerV1 | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!active) return;
    let live = true;
    http.get<LedgerV1>('/api/v1/points/mine').then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setProblem(null);
      },
      (error: unknown) => live && setProblem((error as Error).message),
    );
    return () => {
      live = false;
    };
  }, [active, version]);

  if (problem && !data) return <p className={s.empty}>加载失败：{problem}</p>;
  if (!data) return <p className={s.empty}>加载中…</p>;
  if (data.personId === null) return <p className={s.empty}>此账号未关联人员，没有积分。</p>;
  return (
    <div className={s.page} data-testid="points">
      <div className={s.listHead}>
        <span>
          我的积分 <strong data-testid="points-balance">{data.balance}</strong> 分
        </span>
        <button type="button" className={s.linkButton} onClick={() => setVersion((v) => v + 1)} data-testid="points-refresh">刷新</button>
      </div>
      {data.entries.length === 0 && <p className={s.empty}>还没有积分记录。有效上报经核查办结后计分。</p>}
      {data.entries.map((e) => (
        <div key={e.id} className={s.section} data-testid="points-entry" data-kind={entryKind(e)}>
          <div className={s.taskTop}>
            <span className={s.taskTitle}>{e.ruleLabel ?? ENTRY_KIND_LABEL[entryKind(e)]}</span>
            <span className={`${s.pill} ${e.points < 0 ? s.cardRed : s.pillDone}`} data-testid="points-value">{signed(e.points)}</span>
          </div>
          <div className={s.meta}>
            <span>{formatDateTime(e.at)}</span>
            {e.eventId && <span>事件 #{e.eventId}</span>}
          </div>
          <div className={s.meta}>{e.reason}</div>
        </div>
      ))}
    </div>
  );
}
