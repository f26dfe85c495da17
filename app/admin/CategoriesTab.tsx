'use client';

import { Fragment, useState, type FormEvent } from 'react';
import type { AdminCategory, AdminTaxonomy, CategoryCreate, CategoryPatch } from '@/lib/contracts/admin';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '@/lib/contracts/live';
import { SEVERITY_LABEL } from '../wall/palette';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { Field, FieldError, FormError, numeric } from './Field';
import styles from './admin.module.css';

interface Props {
  taxonomy: AdminTaxonomy;
  reload: () => Promise<void>;
}

/** `undefined`: no form open; `null`: a new category; a code: a new sub-category of it. */
type Adding = string | null | undefined;

export default function CategoriesTab({ taxonomy, reload }: Props) {
  const [adding, setAdding] = useState<Adding>(undefined);
  const tops = taxonomy.categories.filter((c) => c.parentCode === null);
  const close = () => setAdding(undefined);

  return (
    <>
      <p className={styles.hint}>
        上报事件须选择启用中的类别；默认部门为空表示由工作站统筹。类别不能删除（已有事件引用），不再使用时请停用。
        子类的默认部门决定交办对象，事件的默认程度取自大类。
      </p>
      {adding === null ? (
        <NewCategoryForm parent={null} departments={taxonomy.departments} onDone={close} reload={reload} />
      ) : (
        <p>
          <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setAdding(null)}>添加大类</button>
        </p>
      )}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>代码</th>
            <th>名称</th>
            <th>默认部门</th>
            <th>默认程度</th>
            <th>排序</th>
            <th>状态</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tops.map((c) => (
            <Fragment key={c.code}>
              {/* Keyed by the saved version, so a row's draft starts over from what the server stored. */}
              <CategoryRow key={`${c.code}@${c.updatedAt}`} category={c} departments={taxonomy.departments} reload={reload} onAddSub={() => setAdding(c.code)} />
              {taxonomy.categories
                .filter((s) => s.parentCode === c.code)
                .map((s) => (
                  <CategoryRow key={`${s.code}@${s.updatedAt}`} category={s} departments={taxonomy.departments} reload={reload} />
                ))}
              {adding === c.code && (
                <tr>
                  <td colSpan={7}>
                    <NewCategoryForm parent={c} departments={taxonomy.departments} onDone={close} reload={reload} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  );
}

type Departments = AdminTaxonomy['departments'];

/** Departments as options; a code the table no longer lists is still shown rather than silently replaced. */
function DepartmentOptions({ departments, current }: { departments: Departments; current: string }) {
  return (
    <>
      <option value="">工作站统筹</option>
      {current && !departments.some((d) => d.code === current) && <option value={current}>未知部门（{current}）</option>}
      {departments.map((d) => (
        <option key={d.code} value={d.code}>{d.name}</option>
      ))}
    </>
  );
}

function SeverityOptions() {
  return INCIDENT_SEVERITIES.map((s) => (
    <option key={s} value={s}>{SEVERITY_LABEL[s]}</option>
  ));
}

const ROW_FIELDS = ['label', 'department', 'severity', 'sort', 'active'] as const;

function CategoryRow({ category: c, departments, reload, onAddSub }: {
  category: AdminCategory;
  departments: Departments;
  reload: () => Promise<void>;
  onAddSub?: () => void;
}) {
  const [label, setLabel] = useState(c.label);
  const [department, setDepartment] = useState(c.department ?? '');
  const [severity, setSeverity] = useState<IncidentSeverity>(c.severity);
  const [sort, setSort] = useState(String(c.sort));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const isSub = c.parentCode !== null;

  const patch: Omit<CategoryPatch, 'sort'> & { sort?: number | string } = {};
  if (label !== c.label) patch.label = label;
  if (department !== (c.department ?? '')) patch.department = department || null;
  if (severity !== c.severity) patch.severity = severity;
  if (sort !== String(c.sort)) patch.sort = numeric(sort);
  const dirty = Object.keys(patch).length > 0;

  async function send(body: typeof patch) {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.patch(`/api/v1/admin/categories/${encodeURIComponent(c.code)}`, body);
      await reload();
    } catch (err) {
      setErrors(formErrors(err, ROW_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  function toggleActive() {
    if (c.active && !window.confirm(`停用“${c.label}”后不能再上报此类事件，已有事件不受影响。确定停用？`)) return;
    void send({ active: !c.active });
  }

  return (
    <tr data-retired={!c.active}>
      <td className={`${styles.code} ${isSub ? styles.sub : ''}`}>{c.code}</td>
      <td>
        <input className={`${styles.input} ${styles.label}`} aria-label={`${c.code} 名称`} value={label} aria-invalid={!!errors.fields.label} onChange={(e) => setLabel(e.target.value)} />
        <FieldError message={errors.fields.label} />
      </td>
      <td>
        <select className={styles.select} aria-label={`${c.code} 默认部门`} value={department} aria-invalid={!!errors.fields.department} onChange={(e) => setDepartment(e.target.value)}>
          <DepartmentOptions departments={departments} current={c.department ?? ''} />
        </select>
        <FieldError message={errors.fields.department} />
      </td>
      <td>
        {isSub ? (
          <span className={styles.note} title="事件的默认程度取自大类">随大类</span>
        ) : (
          <select className={styles.select} aria-label={`${c.code} 默认程度`} value={severity} aria-invalid={!!errors.fields.severity} onChange={(e) => setSeverity(e.target.value as IncidentSeverity)}>
            <SeverityOptions />
          </select>
        )}
        <FieldError message={errors.fields.severity} />
      </td>
      <td>
        <input className={`${styles.input} ${styles.days}`} type="number" aria-label={`${c.code} 排序`} value={sort} aria-invalid={!!errors.fields.sort} onChange={(e) => setSort(e.target.value)} />
        <FieldError message={errors.fields.sort} />
      </td>
      <td>
        {c.active ? <span className={styles.badge}>启用</span> : <span className={styles.badge} data-kind="retired">已停用</span>}
        <FieldError message={errors.fields.active} />
      </td>
      <td>
        <div className={styles.actions}>
          {dirty && (
            <>
              <button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy} onClick={() => void send(patch)}>保存</button>
              <button type="button" className={styles.button} disabled={busy} onClick={() => {
                setLabel(c.label); setDepartment(c.department ?? ''); setSeverity(c.severity); setSort(String(c.sort)); setErrors(NO_ERRORS);
              }}>还原</button>
            </>
          )}
          <button type="button" className={c.active ? `${styles.button} ${styles.danger}` : styles.button} disabled={busy} onClick={toggleActive}>
            {c.active ? '停用' : '启用'}
          </button>
          {onAddSub && c.active && <button type="button" className={styles.button} onClick={onAddSub}>添加子类</button>}
        </div>
        <FormError errors={errors} />
      </td>
    </tr>
  );
}

const NEW_FIELDS = ['code', 'parentCode', 'label', 'department', 'severity', 'sort'] as const;

function NewCategoryForm({ parent, departments, onDone, reload }: {
  parent: AdminCategory | null;
  departments: Departments;
  onDone: () => void;
  reload: () => Promise<void>;
}) {
  const prefix = parent ? `${parent.code}.` : '';
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [department, setDepartment] = useState(parent?.department ?? '');
  const [severity, setSeverity] = useState<IncidentSeverity>(parent?.severity ?? 'normal');
  const [sort, setSort] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    const body: Omit<CategoryCreate, 'sort'> & { sort?: number | string } = {
      code: prefix + code.trim(),
      parentCode: parent?.code ?? null,
      label,
      department: department || null,
      severity,
      ...(sort.trim() === '' ? {} : { sort: numeric(sort) }),
    };
    try {
      await api.post('/api/v1/admin/categories', body);
      await reload();
      onDone();
    } catch (err) {
      setErrors(formErrors(err, NEW_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      <h3>{parent ? `在“${parent.label}”下添加子类` : '添加大类'}</h3>
      <Field label="代码" error={errors.fields.code ?? errors.fields.parentCode}>
        <span className={styles.prefixed}>
          {prefix && <span className={styles.code}>{prefix}</span>}
          <input className={styles.input} value={code} placeholder={parent ? 'fire' : 'hazard'} aria-invalid={!!errors.fields.code} onChange={(e) => setCode(e.target.value)} required />
        </span>
      </Field>
      <Field label="名称" error={errors.fields.label}>
        <input className={styles.input} value={label} aria-invalid={!!errors.fields.label} onChange={(e) => setLabel(e.target.value)} required />
      </Field>
      <Field label="默认部门" error={errors.fields.department}>
        <select className={styles.select} value={department} onChange={(e) => setDepartment(e.target.value)}>
          <DepartmentOptions departments={departments} current={department} />
        </select>
      </Field>
      {!parent && (
        <Field label="默认程度" error={errors.fields.severity}>
          <select className={styles.select} value={severity} onChange={(e) => setSeverity(e.target.value as IncidentSeverity)}>
            <SeverityOptions />
          </select>
        </Field>
      )}
      <Field label="排序（空 = 排在最后）" error={errors.fields.sort}>
        <input className={`${styles.input} ${styles.days}`} type="number" value={sort} aria-invalid={!!errors.fields.sort} onChange={(e) => setSort(e.target.value)} />
      </Field>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : '添加'}</button>
        <button type="button" className={styles.button} onClick={onDone}>取消</button>
      </div>
      <FormError errors={errors} />
    </form>
  );
}
