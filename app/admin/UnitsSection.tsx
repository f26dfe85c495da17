'use client';

import { useState, type FormEvent } from 'react';
import { MOBILITY_LABEL } from '@/lib/contracts/master';
import { UNIT_KINDS, UNIT_KIND_LABEL, type UnitKind } from '@/lib/units';
import { api } from './api';
import { useSubmit } from './useSubmit';
import { Field, FormActions } from './Field';
import type { Department, PersonRow, UnitRow } from './masterTypes';
import { useLoad, when } from './useLoad';
import ImportSheet from './ImportSheet';
import styles from './admin.module.css';

const FIELDS = ['code', 'name', 'kind', 'mobility', 'personId', 'department', 'gridCode', 'stationId'];
type Mobility = keyof typeof MOBILITY_LABEL;

/** The station's dispatchable units: a person on patrol, or a department's team (a patrol car). */
export default function UnitsSection({ stationId, units, people, reload }: { stationId: number; units: UnitRow[]; people: PersonRow[]; reload: () => void }) {
  const departments = useLoad<Department[]>('/api/v1/departments');
  const [adding, setAdding] = useState(false);
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const depName = new Map((departments.data ?? []).map((d) => [d.code, d.name]));

  return (
    <>
      <h3 className={styles.section}>单位</h3>
      {adding ? (
        <UnitForm stationId={stationId} people={people} departments={departments.data ?? []} onDone={() => { setAdding(false); reload(); }} onCancel={() => setAdding(false)} />
      ) : (
        <>
          <p><button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setAdding(true)}>添加单位</button></p>
          <ImportSheet kind="units" label="单位" onDone={reload} />
        </>
      )}
      {units.length === 0 ? (
        <p className={styles.empty}>本站尚无单位。</p>
      ) : (
        <table className={styles.table} aria-label="单位">
          <thead><tr><th>编码</th><th>名称</th><th>类型</th><th>巡查方式</th><th>人员 / 队伍</th><th>最后定位</th></tr></thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.id}>
                <td className={styles.code}>{u.code}</td>
                <td>{u.name}</td>
                <td>{UNIT_KIND_LABEL[u.kind]}</td>
                <td>{MOBILITY_LABEL[u.mobility]}</td>
                <td>{u.personId ? personName.get(u.personId) ?? `人员 ${u.personId}` : `${u.department ? depName.get(u.department) ?? u.department : ''}队伍`}</td>
                <td>{when(u.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function UnitForm({ stationId, people, departments, onDone, onCancel }: {
  stationId: number;
  people: PersonRow[];
  departments: Department[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('gridder');
  const [mobility, setMobility] = useState<Mobility>('foot');
  const [team, setTeam] = useState(false);
  const [personId, setPersonId] = useState('');
  const [department, setDepartment] = useState('');
  const { errors, busy, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const person = people.find((p) => p.id === Number(personId));
    const body = {
      code, name, kind, mobility, stationId,
      personId: team ? null : person?.id ?? null,
      department: team ? department || null : null,
      // A person's unit patrols the person's grid.
      gridCode: team ? null : person?.roles.find((r) => r.gridCode)?.gridCode ?? null,
    };
    if (await run(FIELDS, () => api.post('/api/v1/admin/units', body))) onDone();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="添加单位">
      <h3>添加单位</h3>
      <Field label="编码" error={errors.fields.code}>
        <input className={styles.input} name="code" value={code} aria-invalid={!!errors.fields.code} onChange={(e) => setCode(e.target.value)} required />
      </Field>
      <Field label="名称" error={errors.fields.name}>
        <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="类型" error={errors.fields.kind}>
        <select className={styles.select} name="kind" value={kind} onChange={(e) => setKind(e.target.value as UnitKind)}>
          {UNIT_KINDS.map((k) => <option key={k} value={k}>{UNIT_KIND_LABEL[k]}</option>)}
        </select>
      </Field>
      <Field label="巡查方式" error={errors.fields.mobility}>
        <select className={styles.select} name="mobility" value={mobility} onChange={(e) => setMobility(e.target.value as Mobility)}>
          {(Object.keys(MOBILITY_LABEL) as Mobility[]).map((m) => <option key={m} value={m}>{MOBILITY_LABEL[m]}</option>)}
        </select>
      </Field>
      <Field label="归属">
        <select className={styles.select} name="owner" value={team ? 'team' : 'person'} onChange={(e) => setTeam(e.target.value === 'team')}>
          <option value="person">个人</option>
          <option value="team">部门队伍</option>
        </select>
      </Field>
      {team ? (
        <Field label="部门" error={errors.fields.department ?? errors.fields.personId}>
          <select className={styles.select} name="department" value={department} onChange={(e) => setDepartment(e.target.value)} required>
            <option value="">请选择</option>
            {departments.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
        </Field>
      ) : (
        <Field label="人员" error={errors.fields.personId ?? errors.fields.gridCode}>
          <select className={styles.select} name="personId" value={personId} onChange={(e) => setPersonId(e.target.value)} required>
            <option value="">请选择</option>
            {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </Field>
      )}
      <FormActions busy={busy} label="添加" busyLabel="保存中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
