'use client';

import { useState, type FormEvent } from 'react';
import { PERSON_ROLES, ROLE_LABEL, type Role } from '@/lib/roles';
import { api } from './api';
import { useSubmit } from './useSubmit';
import { Field, FieldError, FormActions } from './Field';
import type { Department, PersonRow, RegionProps } from './masterTypes';
import styles from './admin.module.css';

type Roles = Partial<Record<Role, string>>;
const FIELDS = ['name', 'phone', 'department', 'stationId', 'roles'];

/** A new person of the station, or an edit of one; roles are ticked, each with an optional grid. */
export default function PersonForm({ stationId, person, departments, grids, villages, onDone, onCancel }: {
  stationId: number;
  person: PersonRow | null;
  departments: Department[];
  grids: RegionProps[];
  villages: RegionProps[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(person?.name ?? '');
  // A masked phone cannot be sent back: it would overwrite the real one with stars.
  const [phone, setPhone] = useState(person?.phone?.includes('*') ? '' : person?.phone ?? '');
  const [department, setDepartment] = useState(person?.department ?? '');
  const [roles, setRoles] = useState<Roles>(() => Object.fromEntries((person?.roles ?? []).map((r) => [r.role, r.gridCode ?? ''])));
  const { errors, busy, run } = useSubmit();
  const ticked = PERSON_ROLES.filter((r) => roles[r] !== undefined);

  function tick(role: Role, on: boolean) {
    setRoles((all) => {
      const next = { ...all };
      if (on) next[role] = '';
      else delete next[role];
      return next;
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      name,
      phone: phone.trim() || null,
      stationId,
      department: department || null,
      roles: ticked.map((role) => ({ role, gridCode: roles[role] || null })),
    };
    const fields = [...FIELDS, ...ticked.flatMap((_, i) => [`roles.${i}.role`, `roles.${i}.gridCode`])];
    if (await run(fields, () => (person ? api.put(`/api/v1/people/${person.id}`, body) : api.post('/api/v1/people', body)))) onDone();
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label={person ? `编辑人员 ${person.name}` : '添加人员'}>
      <h3>{person ? `编辑人员：${person.name}` : '添加人员'}</h3>
      <Field label="姓名" error={errors.fields.name}>
        <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label={person?.phone?.includes('*') ? `电话（现为 ${person.phone}，保存须重新填写）` : '电话'} error={errors.fields.phone}>
        <input className={styles.input} name="phone" type="tel" value={phone} aria-invalid={!!errors.fields.phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field label="所属部门（部门人员必填）" error={errors.fields.department}>
        <select className={styles.select} name="department" value={department} aria-invalid={!!errors.fields.department} onChange={(e) => setDepartment(e.target.value)}>
          <option value="">无</option>
          {departments.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
        </select>
      </Field>
      <fieldset className={styles.checks}>
        <legend>角色</legend>
        {PERSON_ROLES.map((role) => {
          const i = ticked.indexOf(role);
          return (
            <span key={role} className={styles.check}>
              <label>
                <input type="checkbox" checked={i >= 0} onChange={(e) => tick(role, e.target.checked)} />
                {ROLE_LABEL[role]}
              </label>
              {i >= 0 && (role === 'village_cadre' ? villages : grids).length > 0 && (
                // A village cadre serves a village (交办 names it as co-handler, S12); grid staff a grid.
                <select className={styles.select} aria-label={`${ROLE_LABEL[role]} ${role === 'village_cadre' ? '村（社区）' : '网格'}`} value={roles[role]} onChange={(e) => setRoles((all) => ({ ...all, [role]: e.target.value }))}>
                  <option value="">{role === 'village_cadre' ? '不指定村（社区）' : '不指定网格'}</option>
                  {(role === 'village_cadre' ? villages : grids).map((g) => <option key={g.code} value={g.code}>{g.name}</option>)}
                </select>
              )}
              {i >= 0 && <FieldError message={errors.fields[`roles.${i}.role`] ?? errors.fields[`roles.${i}.gridCode`]} />}
            </span>
          );
        })}
        <FieldError message={errors.fields.roles ?? errors.fields.stationId} />
      </fieldset>
      <FormActions busy={busy} label="保存" busyLabel="保存中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
