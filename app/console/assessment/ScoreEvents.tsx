import type { ScoreEventV1 } from '@/lib/contracts/scores';
import { EVENT_STATE_LABEL } from '@/lib/events/machine';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import { at } from './format';

const yesNo = (x: boolean | null) => (x === null ? '—' : x ? '是' : '否');
const CARD = { none: '—', yellow: '黄牌', red: '红牌' } as const;

/** The events the score counted (the first 500 by report time), each opening in the console. */
export default function ScoreEvents({ events, total }: { events: ScoreEventV1[]; total: number }) {
  if (events.length === 0) return <p className={admin.empty}>本时段无计入的事件</p>;
  return (
    <>
      {total > events.length && <p className={admin.hint}>共 {total} 件，列出按上报时间的前 {events.length} 件。</p>}
      <div className={styles.events}>
        <table className={admin.table} data-testid="score-events">
          <thead><tr><th>事件</th><th>上报时间</th><th>状态</th><th>按时受理</th><th>按期办结</th><th>督办</th><th>评价</th><th>标记</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td><a href={`/console?event=${e.id}`} target="_blank" rel="noopener">#{e.id} {e.title}</a></td>
                <td>{at(e.reportedAt)}</td>
                <td>{(EVENT_STATE_LABEL as Record<string, string>)[e.state] ?? e.state}</td>
                <td>{yesNo(e.onTimeAccept)}</td>
                <td>{yesNo(e.onTime)}</td>
                <td>{CARD[e.card]}</td>
                <td>{e.rating ?? '—'}</td>
                <td>{[e.petitionSkip && '越级信访', e.groupIncident && '群体性事件'].filter(Boolean).join('、') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
