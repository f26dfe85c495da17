'use client';

import { useState, type FormEvent } from 'react';
import { RESIDENCY_LABEL, type Residency } from '@/lib/departments';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import DutyRoster from './DutyRoster';
import { Field, FieldError, FormError } from './Field';
import type { Department, PersonRow, StationSetup } from './masterTypes';
import { useStationPick } from './StationPick';
import { addDays, mondayOf, shanghaiIso, today, useLoad, when } from './useLoad';
import styles from './admin.module.css';

const RESIDENCIES = Object.keys(RESIDENCY_LABEL) as Residency[];

/** A station's departments (S5 常驻/轮驻/联驻), the rotations of rotating ones, and the week's duty roster. */
export default function DutyTab({ stationId }: { stationId: number | null }) {
  const pick = useStationPick(stationId);
  const id = pick.stationId;
  const [monday, setMonday] = useState(() => mondayOf(today()));
  const setup = useLoad<StationSetup>(id ? `/api/v1/stations/${id}/setup?from=${monday}&to=${addDays(monday, 6)}` : null);
  const departments = useLoad<Department[]>('/api/v1/departments');
  const people = useLoad<PersonRow[]>(id ? `/api/v1/people?station=${id}` : null);
  const error = setup.error || departments.error || people.error;

  return (
    <>
      {pick.picker}
      {error && <p className={styles.formError} role="alert">加载失败：{error}</p>}
      {id && setup.data && departments.data && people.data ? (
        <>
          <h3 className={styles.section}>进驻部门</h3>
          <p className={styles.hint}>常驻部门每天在站；轮驻部门按下方的轮驻安排到站；联驻部门有事时联系到站。</p>
          <Departments stationId={id} all={departments.data} setup={setup.data} reload={setup.reload} />
          <h3 className={styles.section}>轮驻安排</h3>
          <Rotations stationId={id} all={departments.data} setup={setup.data} reload={setup.reload} />
          <h3 className={styles.section}>值班表</h3>
          <DutyRoster stationId={id} monday={monday} onWeek={setMonday} departments={departments.data} setup={setup.data} people={people.data} reload={setup.reload} />
        </>
      ) : (
        id && !error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}

function Departments({ stationId, all, setup, reload }: { stationId: number; all: Department[]; setup: StationSetup; reload: () => void }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const residency = new Map(setup.departments.map((d) => [d.code, d.residency]));

  async function change(code: string, value: Residency | '') {
    setErrors((e) => ({ ...e, [code]: '' }));
    try {
      const path = `/api/v1/stations/${stationId}/departments/${encodeURIComponent(code)}`;
      await (value ? api.put(path, { residency: value }) : api.delete(path));
      reload();
    } catch (err) {
      const f = formErrors(err, ['residency']);
      setErrors((e) => ({ ...e, [code]: f.fields.residency ?? f.message }));
    }
  }

  return (
    <div className={styles.departments}>
      {all.map((d) => (
        <label key={d.code} className={styles.field}>
          <span>{d.name}</span>
          <select className={styles.select} aria-label={`${d.name} 进驻方式`} value={residency.get(d.code) ?? ''} onChange={(e) => void change(d.code, e.target.value as Residency | '')}>
            <option value="">未进驻</option>
            {RESIDENCIES.map((r) => <option key={r} value={r}>{RESIDENCY_LABEL[r]}</option>)}
          </select>
          <FieldError message={errors[d.code]} />
        </label>
      ))}
    </div>
  );
}

const ROTATION_FIELDS = ['department', 'startsAt', 'endsAt'];

function Rotations({ stationId, all, setup, reload }: { stationId: number; all: Department[]; setup: StationSetup; reload: () => void }) {
  const rotating = setup.departments.filter((d) => d.residency === 'rotating');
  const name = new Map(all.map((d) => [d.code, d.name]));
  const [department, setDepartment] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/api/v1/stations/${stationId}/rotations`, { department, startsAt: shanghaiIso(startsAt), endsAt: shanghaiIso(endsAt) });
      setStartsAt('');
      setEndsAt('');
      reload();
    } catch (err) {
      setErrors(formErrors(err, ROTATION_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  async function remove(rid: number) {
    setErrors(NO_ERRORS);
    try {
      await api.delete(`/api/v1/stations/${stationId}/rotations/${rid}`);
      reload();
    } catch (err) {
      setErrors(formErrors(err, []));
    }
  }

  return (
    <>
      {rotating.length === 0 ? (
        <p className={styles.note}>本站没有轮驻部门：先在上方把部门设为“轮驻”。</p>
      ) : (
        <form className={styles.form} onSubmit={submit} aria-label="添加轮驻">
          <Field label="部门" error={errors.fields.department}>
            <select className={styles.select} name="department" value={department} onChange={(e) => setDepartment(e.target.value)} required>
              <option value="">请选择</option>
              {rotating.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
            </select>
          </Field>
          <Field label="开始" error={errors.fields.startsAt}>
            <input className={styles.input} type="datetime-local" name="startsAt" value={startsAt} aria-invalid={!!errors.fields.startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
          </Field>
          <Field label="结束" error={errors.fields.endsAt}>
            <input className={styles.input} type="datetime-local" name="endsAt" value={endsAt} aria-invalid={!!errors.fields.endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
          </Field>
          <div className={styles.formActions}>
            <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>添加轮驻</button>
          </div>
          <FormError errors={errors} />
        </form>
      )}
      {setup.rotations.length > 0 && (
        <table className={styles.table} aria-label="轮驻安排">
          <thead><tr><th>部门</th><th>开始</th><th>结束</th><th /></tr></thead>
          <tbody>
            {setup.rotations.map((r) => (
              <tr key={r.id}>
                <td>{name.get(r.department) ?? r.department}</td>
                <td>{when(r.startsAt)}</td>
                <td>{when(r.endsAt)}</td>
                <td><button type="button" className={`${styles.button} ${styles.danger}`} onClick={() => void remove(r.id)}>删除</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
