'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { SUBJECT_KIND_LABEL, SUBJECT_KINDS, type ScoreV1, type SubjectKind } from '@/lib/contracts/scores';
import { PERIOD_PATTERN } from '@/lib/assessment/periods';
import { can, DISTRICT_ROLES } from '@/lib/roles';
import { useLoad } from '@/app/admin/useLoad';
import Tabs from '@/app/components/Tabs';
import admin from '@/app/admin/admin.module.css';
import styles from './assessment.module.css';
import PeriodPicker from './PeriodPicker';
import StationFilter from './StationFilter';
import ComputeButton from './ComputeButton';
import ScoreTable from './ScoreTable';
import ScoreDetail from './ScoreDetail';
import { defaultPeriod } from './periodChoices';
import { INDICATORS_URL, type IndicatorCatalogue } from './indicatorsApi';

const TABS = SUBJECT_KINDS.map((id) => ({ id, label: SUBJECT_KIND_LABEL[id] }));

export default function ScoresScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  if (me.error) return <p className={admin.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={admin.loading}>加载中…</p>;
  return <Scores me={me.data} />;
}

/** Mounted in the browser only (after /me): the period may come from the address, ?period=2026-11. */
function initialPeriod(): string {
  const asked = new URLSearchParams(window.location.search).get('period');
  return asked && PERIOD_PATTERN.test(asked) ? asked : defaultPeriod(new Date());
}

function Scores({ me }: { me: Me }) {
  const district = DISTRICT_ROLES.includes(me.role);
  const canAdjust = can(me.role, 'adjustScores');
  const [period, setPeriod] = useState(initialPeriod);
  const [kind, setKind] = useState<SubjectKind>('station');
  const [stationId, setStationId] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const query = new URLSearchParams({ period, subjectKind: kind, ...(district && stationId ? { stationId: String(stationId) } : {}) });
  const scores = useLoad<ScoreV1[]>(`/api/v1/assessment/scores?${query}`);
  const catalogue = useLoad<IndicatorCatalogue>(INDICATORS_URL);
  // A score opened under one period or tab is not shown under another.
  const shown = open !== null && scores.data?.some((s) => s.id === open) ? open : null;

  return (
    <>
      <div className={styles.bar} role="group" aria-label="筛选">
        <PeriodPicker value={period} onChange={(p) => { setPeriod(p); setOpen(null); }} />
        {district && <StationFilter value={stationId} onChange={(id) => { setStationId(id); setOpen(null); }} />}
        {canAdjust && <ComputeButton period={period} onDone={scores.reload} />}
      </div>
      <Tabs tabs={TABS} current={kind} onChange={(k) => { setKind(k); setOpen(null); }} />
      <section className={admin.panel} role="tabpanel" id={`panel-${kind}`} aria-labelledby={`tab-${kind}`}>
        {scores.error && <p className={admin.formError} role="alert">{scores.error}</p>}
        {!scores.data ? !scores.error && <p className={admin.loading}>加载中…</p>
          : scores.data.length === 0 ? <p className={admin.empty} data-testid="no-scores">本时段尚无{SUBJECT_KIND_LABEL[kind]}得分{canAdjust ? '，可点“立即计算”' : '，考评任务计算后显示'}。</p>
          : (
            <div className={styles.layout} data-open={shown !== null}>
              <ScoreTable scores={scores.data} kind={kind} selected={shown} onOpen={setOpen} />
              {shown !== null && (
                <ScoreDetail
                  key={shown}
                  id={shown}
                  indicators={catalogue.data?.indicators ?? []}
                  canAdjust={canAdjust}
                  onChanged={scores.reload}
                  onClose={() => setOpen(null)}
                />
              )}
            </div>
          )}
      </section>
    </>
  );
}
