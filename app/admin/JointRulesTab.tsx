'use client';

import { Fragment, useCallback, useEffect, useState } from 'react';
import type { AdminCategory, AdminTaxonomy } from '@/lib/contracts/admin';
import { GRID_FORCE, GRID_FORCE_LABEL } from '@/lib/command/joint';
import type { AdminJointRule } from '@/lib/contracts/admin';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { FieldError, FormError } from './Field';
import styles from './admin.module.css';

interface Props {
  taxonomy: AdminTaxonomy;
}

interface Department {
  code: string;
  name: string;
}

/** The server takes 1–10 forces (server/http/routes/admin.ts JointRuleInput). */
const MAX_FORCES = 10;

/**
 * Joint-handling rules (issue 5, S12): which forces a joint dispatch proposes for an event of each
 * category, in order. The categories come with the taxonomy; the rules and departments are this
 * tab's own to load.
 */
export default function JointRulesTab({ taxonomy }: Props) {
  const [rules, setRules] = useState<Map<string, AdminJointRule> | null>(null);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [loadError, setLoadError] = useState('');

  // A row's save waits for this, so it shows the stored rule, not its draft, once it stops being busy.
  const reload = useCallback(
    () =>
      Promise.all([api.get<AdminJointRule[]>('/api/v1/admin/joint-rules'), api.get<Department[]>('/api/v1/departments')]).then(
        ([r, d]) => {
          setRules(new Map(r.map((x) => [x.category, x])));
          setDepartments(d);
          setLoadError('');
        },
        (err: unknown) => setLoadError((err as Error).message),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const names = new Map<string, string>([...departments.map((d): [string, string] => [d.code, d.name]), [GRID_FORCE, GRID_FORCE_LABEL]]);
  const forceName = (code: string) => names.get(code) ?? `未知部门（${code}）`;
  const tops = taxonomy.categories.filter((c) => c.parentCode === null);

  return (
    <>
      <p className={styles.hint}>
        联动派遣时按此表为每支力量推荐最近的可用单位，顺序即推荐顺序；子类有规则时用子类的，否则用大类的，都没有时只派{GRID_FORCE_LABEL}。
        事件已交办的部门不在规则中时，自动排在最前。修改只影响此后的派遣推荐。
      </p>
      {loadError && <p className={styles.formError} role="alert">加载失败：{loadError}</p>}
      {!rules ? (
        !loadError && <p className={styles.loading}>加载中…</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>代码</th>
              <th>名称</th>
              <th>联动力量（按顺序，点击移除）</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tops.map((c) => (
              <Fragment key={c.code}>
                {/* Keyed by the saved version, so a row's draft starts over from what the server stored. */}
                <RuleRow key={`${c.code}@${rules.get(c.code)?.updatedAt ?? ''}`} category={c} rule={rules.get(c.code)} departments={departments} forceName={forceName} reload={reload} />
                {taxonomy.categories
                  .filter((s) => s.parentCode === c.code)
                  .map((s) => (
                    <RuleRow key={`${s.code}@${rules.get(s.code)?.updatedAt ?? ''}`} category={s} rule={rules.get(s.code)} departments={departments} forceName={forceName} reload={reload} />
                  ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function RuleRow({ category: c, rule, departments, forceName, reload }: {
  category: AdminCategory;
  rule: AdminJointRule | undefined;
  departments: Department[];
  forceName: (code: string) => string;
  reload: () => Promise<void>;
}) {
  const saved = rule?.forces ?? [];
  const [forces, setForces] = useState<string[]>(saved);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const isSub = c.parentCode !== null;
  const dirty = forces.join(',') !== saved.join(',');
  const addable = [...departments.map((d) => d.code), GRID_FORCE].filter((code) => !forces.includes(code));
  const fields = ['forces', ...forces.map((_, i) => `forces.${i}`)];

  async function save() {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.put(`/api/v1/admin/joint-rules/${encodeURIComponent(c.code)}`, { forces });
      await reload();
    } catch (err) {
      setErrors(formErrors(err, fields));
    } finally {
      setBusy(false);
    }
  }

  function edit(next: string[]) {
    setForces(next);
    // The issues name forces by position: once the list moves they no longer point at the right chip.
    setErrors(NO_ERRORS);
  }

  return (
    <tr data-retired={!c.active} data-testid={`joint-rule-${c.code}`}>
      <td className={`${styles.code} ${isSub ? styles.sub : ''}`}>{c.code}</td>
      <td>
        {c.label}
        {!c.active && <> <span className={styles.badge} data-kind="retired">已停用</span></>}
      </td>
      <td>
        <div className={styles.actions}>
          {forces.length === 0 && (
            <span className={styles.note}>
              {rule ? '至少保留一支力量' : isSub ? '未设置（沿用大类规则）' : `未设置（仅${GRID_FORCE_LABEL}）`}
            </span>
          )}
          {forces.map((f, i) => (
            <span key={f}>
              <button
                type="button"
                className={styles.button}
                title="移除"
                aria-label={`移除 ${forceName(f)}`}
                disabled={busy}
                data-force={f}
                onClick={() => edit(forces.filter((x) => x !== f))}
              >
                {i + 1}. {forceName(f)} ×
              </button>
              <FieldError message={errors.fields[`forces.${i}`]} />
            </span>
          ))}
          {addable.length > 0 && forces.length < MAX_FORCES && (
            <select
              className={styles.select}
              aria-label={`${c.code} 添加力量`}
              value=""
              disabled={busy}
              onChange={(e) => {
                if (e.target.value) edit([...forces, e.target.value]);
              }}
            >
              <option value="">添加力量…</option>
              {addable.map((code) => <option key={code} value={code}>{forceName(code)}</option>)}
            </select>
          )}
        </div>
        <FieldError message={errors.fields.forces} />
      </td>
      <td>
        <div className={styles.actions}>
          <button
            type="button"
            className={`${styles.button} ${styles.primary}`}
            disabled={busy || !dirty || forces.length === 0}
            title={forces.length === 0 ? '至少选择一支力量' : undefined}
            data-testid={`joint-rule-save-${c.code}`}
            onClick={() => void save()}
          >
            {busy ? '保存中…' : '保存'}
          </button>
          {dirty && (
            <button type="button" className={styles.button} disabled={busy} onClick={() => edit(saved)}>还原</button>
          )}
        </div>
        <FormError errors={errors} />
      </td>
    </tr>
  );
}
