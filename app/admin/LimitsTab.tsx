'use client';

import { useState, type FormEvent } from 'react';
import type { AdminCategory, AdminTaxonomy, AdminTimeLimit } from '@/lib/contracts/admin';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@/lib/contracts/live';
import { SEVERITY_LABEL } from '../wall/palette';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { Field, FieldError, FormError, numeric } from './Field';
import styles from './admin.module.css';

interface Props {
  taxonomy: AdminTaxonomy;
  reload: () => Promise<void>;
}

const DAYS = [
  { key: 'acceptYellow', label: '受理·黄牌' },
  { key: 'acceptRed', label: '受理·红牌' },
  { key: 'handleYellow', label: '办理·黄牌' },
  { key: 'handleRed', label: '办理·红牌' },
] as const;
type DayKey = (typeof DAYS)[number]['key'];
type Draft = Record<DayKey, string>;
const FIELDS = ['category', 'severity', 'id', ...DAYS.map((d) => d.key)];

const draftOf = (l: Pick<AdminTimeLimit, DayKey>): Draft => ({
  acceptYellow: String(l.acceptYellow), acceptRed: String(l.acceptRed), handleYellow: String(l.handleYellow), handleRed: String(l.handleRed),
});

async function put(category: string | null, severity: IncidentSeverity | null, d: Draft): Promise<void> {
  await api.put('/api/v1/admin/time-limits', {
    category, severity,
    acceptYellow: numeric(d.acceptYellow), acceptRed: numeric(d.acceptRed), handleYellow: numeric(d.handleYellow), handleRed: numeric(d.handleRed),
  });
}

export default function LimitsTab({ taxonomy, reload }: Props) {
  const [adding, setAdding] = useState(false);
  const byCode = new Map(taxonomy.categories.map((c) => [c.code, c]));
  const categoryName = (code: string | null) => {
    if (code === null) return '全部类别';
    const c = byCode.get(code);
    if (!c) return code;
    const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
    return `${parent ? `${parent.label} / ` : ''}${c.label}${c.active ? '' : '（已停用）'}`;
  };

  return (
    <>
      <p className={styles.hint}>
        取最具体的一行：子类+程度 → 子类 → 大类+程度 → 大类 → 程度 → 默认；单位为工作日（节假日与调休见“节假日”），超过黄牌时限亮黄牌、超过红牌时限亮红牌，修改只影响此后上报或受理的事件。
      </p>
      {adding ? (
        <NewLimitForm taxonomy={taxonomy} onDone={() => setAdding(false)} reload={reload} />
      ) : (
        <p>
          <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setAdding(true)}>添加时限</button>
        </p>
      )}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>类别</th>
            <th>程度</th>
            {DAYS.map((d) => <th key={d.key} className={styles.num}>{d.label}（天）</th>)}
            <th />
          </tr>
        </thead>
        <tbody>
          {taxonomy.limits.map((l) => (
            <LimitRow key={l.id} limit={l} categoryName={categoryName(l.category)} reload={reload} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function LimitRow({ limit: l, categoryName, reload }: { limit: AdminTimeLimit; categoryName: string; reload: () => Promise<void> }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const isDefault = l.category === null && l.severity === null;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await action();
      await reload();
      setDraft(null);
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  function remove() {
    if (!window.confirm(`删除“${categoryName} / ${l.severity ? SEVERITY_LABEL[l.severity] : '全部程度'}”的时限？此后的事件将按更宽的一行计时。`)) return;
    void run(() => api.delete(`/api/v1/admin/time-limits/${l.id}`));
  }

  return (
    <tr data-default={isDefault}>
      <td>{isDefault ? '默认（全部类别）' : categoryName}</td>
      <td>{l.severity ? SEVERITY_LABEL[l.severity] : '全部程度'}</td>
      {DAYS.map((d) => (
        <td key={d.key} className={styles.num}>
          {draft ? (
            <input
              className={`${styles.input} ${styles.days}`} type="number" aria-label={d.label}
              value={draft[d.key]} aria-invalid={!!errors.fields[d.key]} onChange={(e) => setDraft({ ...draft, [d.key]: e.target.value })}
            />
          ) : (
            l[d.key]
          )}
          <FieldError message={errors.fields[d.key]} />
        </td>
      ))}
      <td>
        <div className={styles.actions}>
          {draft ? (
            <>
              <button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy} onClick={() => void run(() => put(l.category, l.severity, draft))}>保存</button>
              <button type="button" className={styles.button} disabled={busy} onClick={() => { setDraft(null); setErrors(NO_ERRORS); }}>取消</button>
            </>
          ) : (
            <button type="button" className={styles.button} onClick={() => setDraft(draftOf(l))}>编辑</button>
          )}
          {!isDefault && <button type="button" className={`${styles.button} ${styles.danger}`} disabled={busy} onClick={remove}>删除</button>}
        </div>
        <FormError errors={errors} />
      </td>
    </tr>
  );
}

function NewLimitForm({ taxonomy, onDone, reload }: { taxonomy: AdminTaxonomy; onDone: () => void; reload: () => Promise<void> }) {
  const fallback = taxonomy.limits.find((l) => l.category === null && l.severity === null);
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity | ''>('');
  const [draft, setDraft] = useState<Draft>(draftOf(fallback ?? { acceptYellow: 1, acceptRed: 2, handleYellow: 5, handleRed: 10 }));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const exists = taxonomy.limits.some((l) => l.category === (category || null) && l.severity === (severity || null));
  const tops = taxonomy.categories.filter((c) => c.parentCode === null);
  const option = (c: AdminCategory, indent: boolean) => (
    <option key={c.code} value={c.code}>{indent ? '\u3000' : ''}{c.label}{c.active ? '' : '（已停用）'}</option>
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await put(category || null, severity || null, draft);
      await reload();
      onDone();
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      <h3>添加时限</h3>
      <Field label="类别" error={errors.fields.category}>
        <select className={styles.select} value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">全部类别</option>
          {tops.map((c) => [option(c, false), ...taxonomy.categories.filter((s) => s.parentCode === c.code).map((s) => option(s, true))])}
        </select>
      </Field>
      <Field label="程度" error={errors.fields.severity}>
        <select className={styles.select} value={severity} onChange={(e) => setSeverity(e.target.value as IncidentSeverity | '')}>
          <option value="">全部程度</option>
          {INCIDENT_SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_LABEL[s]}</option>)}
        </select>
      </Field>
      {DAYS.map((d) => (
        <Field key={d.key} label={`${d.label}（天）`} error={errors.fields[d.key]}>
          <input
            className={`${styles.input} ${styles.days}`} type="number"
            value={draft[d.key]} aria-invalid={!!errors.fields[d.key]} onChange={(e) => setDraft({ ...draft, [d.key]: e.target.value })}
          />
        </Field>
      ))}
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : exists ? '覆盖' : '添加'}</button>
        <button type="button" className={styles.button} onClick={onDone}>取消</button>
      </div>
      {exists && <span className={styles.note}>该范围已有一行时限，保存将覆盖它。</span>}
      <FormError errors={errors} />
    </form>
  );
}
