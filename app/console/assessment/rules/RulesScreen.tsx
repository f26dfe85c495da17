'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { RULE_SET_STATE_LABEL, type RuleSetRecordV1 } from '@/lib/contracts/assessment';
import { defaultRuleSet } from '@/lib/assessment/rules';
import { can } from '@/lib/roles';
import { shanghaiDay } from '@/lib/time/workdays';
import { useLoad } from '@/app/admin/useLoad';
import { api } from '@/app/admin/api';
import admin from '@/app/admin/admin.module.css';
import { FormError } from '@/app/admin/Field';
import styles from '../assessment.module.css';
import { INDICATORS_URL, type IndicatorCatalogue } from '../indicatorsApi';
import { useKeyedSubmit } from '../useKeyedSubmit';
import VersionList from './VersionList';
import RuleSetView from './RuleSetView';
import RuleSetEditor from './RuleSetEditor';
import { draftOf, type RuleSetDraft } from './draft';

export default function RulesScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  if (me.error) return <p className={admin.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={admin.loading}>加载中…</p>;
  return <Rules canEdit={can(me.data.role, 'editAssessment')} />;
}

/** Mounted in the browser only: a score's link opens its version, ?id=<rule set>. */
const idInUrl = () => Number(new URLSearchParams(window.location.search).get('id')) || null;

function Rules({ canEdit }: { canEdit: boolean }) {
  const versions = useLoad<RuleSetRecordV1[]>('/api/v1/assessment/rules');
  const catalogue = useLoad<IndicatorCatalogue>(INDICATORS_URL);
  const [picked, setPicked] = useState<number | null>(idInUrl);
  const [editing, setEditing] = useState<RuleSetDraft | null>(null);
  const list = versions.data ?? [];
  // Nothing picked: the newest year's active version, else the newest version.
  const selected = picked ?? list.find((v) => v.state === 'active')?.id ?? list[0]?.id ?? null;
  const one = useLoad<RuleSetRecordV1>(selected ? `/api/v1/assessment/rules/${selected}` : null);
  const indicators = catalogue.data?.indicators ?? [];

  async function startNew() {
    const active = list.find((v) => v.state === 'active');
    const year = Number(shanghaiDay(new Date()).slice(0, 4));
    if (!active) return setEditing(draftOf(defaultRuleSet(year)));
    const full = one.data?.id === active.id ? one.data : await fetchVersion(active.id);
    setEditing(draftOf(full?.body ?? defaultRuleSet(active.year)));
  }

  return (
    <>
      <p className={admin.hint}>
        每年度一套考评细则，按版本修订：新建的版本为草稿，生效后用于该年度各时段的计算；已封账的时段保留计算时所用的版本。
        公式可用的指标与函数见页末“指标目录”。
      </p>
      {versions.error && <p className={admin.formError} role="alert">{versions.error}</p>}
      {!versions.data ? !versions.error && <p className={admin.loading}>加载中…</p>
        : list.length === 0 ? <p className={admin.empty}>尚无考评细则</p>
        : <VersionList versions={list} selected={selected} onOpen={(id) => { setPicked(id); setEditing(null); }} />}
      {canEdit && !editing && <p><button type="button" className={`${admin.button} ${admin.primary}`} data-testid="new-version" onClick={startNew}>新建版本</button></p>}
      {editing && (
        <RuleSetEditor
          start={editing}
          onSaved={(r) => { setEditing(null); setPicked(r.id); versions.reload(); }}
          onCancel={() => setEditing(null)}
        />
      )}
      {!editing && one.data && (
        <section className={admin.panel} data-testid="rule-view" data-state={one.data.state}>
          <div className={admin.actions} style={{ alignItems: 'center' }}>
            <h2 style={{ margin: 0, fontSize: 18, fontWeight: 500 }}>{one.data.name} · 第 {one.data.version} 版 · {RULE_SET_STATE_LABEL[one.data.state]}</h2>
            {canEdit && one.data.state !== 'active' && <Activate id={one.data.id} onDone={() => { one.reload(); versions.reload(); }} />}
          </div>
          {one.data.body && <RuleSetView rules={one.data.body} indicators={indicators} />}
        </section>
      )}
      {one.error && <p className={admin.formError} role="alert">{one.error}</p>}
      <Catalogue catalogue={catalogue.data} />
    </>
  );
}

function fetchVersion(id: number): Promise<RuleSetRecordV1 | null> {
  return api.get<RuleSetRecordV1>(`/api/v1/assessment/rules/${id}`).catch(() => null);
}

/** 使生效: the year's active version retires in the same step; a retired version may come back. */
function Activate({ id, onDone }: { id: number; onDone: () => void }) {
  const { submit, errors, busy } = useKeyedSubmit([]);
  return (
    <>
      <button type="button" className={`${admin.button} ${admin.primary}`} data-testid="activate" disabled={busy} onClick={async () => { if (await submit(`/api/v1/assessment/rules/${id}/activate`, {})) onDone(); }}>使生效</button>
      <FormError errors={errors} />
    </>
  );
}

function Catalogue({ catalogue }: { catalogue: IndicatorCatalogue | null }) {
  if (!catalogue) return null;
  return (
    <details className={admin.panel}>
      <summary>指标目录（公式可用函数：{catalogue.functions.join('、')}）</summary>
      <table className={admin.table} data-testid="indicator-catalogue">
        <thead><tr><th>代码</th><th>名称</th><th>单位</th><th>口径</th></tr></thead>
        <tbody>
          {catalogue.indicators.map((i) => (
            <tr key={i.code}><td className={admin.code}>{i.code}</td><td>{i.name}{i.deduction ? '（扣分）' : ''}</td><td>{i.unit === 'ratio' ? '比率 0–1' : '件'}</td><td className={styles.hint} style={{ borderBottom: 0 }}>{i.source}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
