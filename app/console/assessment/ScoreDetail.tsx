'use client';

import Link from 'next/link';
import type { IndicatorDefinition } from '@/lib/assessment/indicators';
import { parsePeriod } from '@/lib/assessment/periods';
import { SUBJECT_KIND_LABEL, type ScoreDetailV1 } from '@/lib/contracts/scores';
import Stars from '@/app/components/Stars';
import { useLoad } from '@/app/admin/useLoad';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import FrozenBadge from './FrozenBadge';
import ScoreItems from './ScoreItems';
import ScoreFigures from './ScoreFigures';
import ScoreEvents from './ScoreEvents';
import { AdjustmentForm, AdjustmentList } from './Adjustments';
import { pts, signed } from './format';
import { subjectName } from './subject';

/** One score opened: its items, the figures and events behind them, and the district's adjustments. */
export default function ScoreDetail({ id, indicators, canAdjust, onChanged, onClose }: {
  id: number;
  indicators: readonly IndicatorDefinition[];
  canAdjust: boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const detail = useLoad<ScoreDetailV1>(`/api/v1/assessment/scores/${id}`);
  const d = detail.data;
  return (
    <aside className={styles.detail} aria-label="得分详情" data-testid="score-detail">
      <div className={admin.actions} style={{ justifyContent: 'space-between' }}>
        <h2>{d ? subjectName(d) : '得分详情'}</h2>
        <button type="button" className={admin.button} onClick={onClose} aria-label="关闭详情">关闭</button>
      </div>
      {detail.error && <p className={admin.formError} role="alert">{detail.error}</p>}
      {!d ? !detail.error && <p className={admin.loading}>加载中…</p> : (
        <>
          <p className={admin.hint}>
            {SUBJECT_KIND_LABEL[d.subjectKind]} · {d.subjectKind !== 'station' ? `${d.stationName} · ` : ''}{parsePeriod(d.period)?.label ?? d.period} ·{' '}
            <Link href={`/console/assessment/rules?id=${d.ruleSetId}`}>考评细则第 {d.ruleVersion} 版</Link> · <FrozenBadge frozen={d.frozen} frozenAt={d.frozenAt} computedAt={d.computedAt} />
          </p>
          <div className={styles.totals} data-testid="detail-totals">
            <span>得分<b>{pts(d.earned)}</b></span>
            <span>扣分<b>{d.deducted > 0 ? `−${pts(d.deducted)}` : '0'}</b></span>
            <span>计算得分<b>{pts(d.computedTotal)}</b></span>
            <span>人工调整<b data-testid="detail-adjustment">{signed(d.adjustment)}</b></span>
            <span>总分<b data-testid="detail-total">{pts(d.total)}</b></span>
            <span>星级<b><Stars stars={d.stars} /></b></span>
            <span>排名<b>{d.rank ?? '—'}</b></span>
          </div>

          <h3>考评项</h3>
          <ScoreItems items={d.items} />
          <h3>指标数据</h3>
          <ScoreFigures figures={d.figures} indicators={indicators} />
          <h3>人工调整</h3>
          <AdjustmentList adjustments={d.adjustments} />
          {canAdjust && <AdjustmentForm period={d.period} subjectKey={d.subjectKey} onDone={() => { detail.reload(); onChanged(); }} />}
          <h3>计入的事件（{d.eventCount} 件）</h3>
          <ScoreEvents events={d.events} total={d.eventCount} />
        </>
      )}
    </aside>
  );
}
