'use client';

import { useState } from 'react';
import { LEADERBOARD_PERIOD_LABEL, type LeaderboardRowV1 } from '@/lib/contracts/points';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';

type Period = keyof typeof LEADERBOARD_PERIOD_LABEL;
interface Board { stationId: number; period: Period; from: string; rows: LeaderboardRowV1[] }

/** A station's leaderboard (S14): points earned this month or year, clawbacks counted, redemptions not. */
export default function Leaderboard({ stationId, onPick }: { stationId: number; onPick: ((personId: number) => void) | null }) {
  const [period, setPeriod] = useState<Period>('month');
  const board = useLoad<Board>(`/api/v1/points/leaderboard?stationId=${stationId}&period=${period}`);
  return (
    <>
      <div className={styles.yearBar}>
        <label className={styles.note} htmlFor="points-period">时段</label>
        <select id="points-period" className={styles.select} value={period} onChange={(e) => setPeriod(e.target.value as Period)} data-testid="points-period">
          {(Object.keys(LEADERBOARD_PERIOD_LABEL) as Period[]).map((p) => <option key={p} value={p}>{LEADERBOARD_PERIOD_LABEL[p]}</option>)}
        </select>
        {board.data && <span className={styles.note}>自 {board.data.from} 起（北京时间），群众不上榜</span>}
      </div>
      {board.error && <p className={styles.formError} role="alert">{board.error}</p>}
      {!board.data ? <p className={styles.loading}>加载中…</p> : board.data.rows.length === 0 ? <p className={styles.empty}>本时段暂无积分</p> : (
        <table className={styles.table} data-testid="leaderboard">
          <thead><tr><th>名次</th><th>姓名</th><th className={styles.num}>积分</th></tr></thead>
          <tbody>
            {board.data.rows.map((r) => (
              <tr key={r.personId} data-testid={`board-${r.personId}`}>
                <td>{r.rank}</td>
                <td>{onPick ? <button type="button" className={styles.button} onClick={() => onPick(r.personId)}>{r.name}</button> : r.name}</td>
                <td className={styles.num}>{r.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
