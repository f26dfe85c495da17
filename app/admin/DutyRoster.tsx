'use client';

import { useState } from 'react';
import { api, formErrors } from './api';
import { FieldError } from './Field';
import type { Department, PersonRow, StationSetup } from './masterTypes';
import { addDays, today } from './useLoad';
import styles from './admin.module.css';

const WEEKDAY = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/**
 * The week's roster as days × stationed departments; each cell ticks who of the department is on
 * duty. A tick saves that cell at once (the API replaces one department's day whole).
 */
export default function DutyRoster({ stationId, monday, onWeek, departments, setup, people, reload }: {
  stationId: number;
  monday: string;
  onWeek: (monday: string) => void;
  departments: Department[];
  setup: StationSetup;
  people: PersonRow[];
  reload: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState('');
  const days = WEEKDAY.map((_, i) => addDays(monday, i));
  const stationed = departments.filter((d) => setup.departments.some((s) => s.code === d.code));
  const onDuty = (day: string, dep: string) => setup.roster.filter((r) => r.day === day && r.department === dep).map((r) => r.personId);

  async function toggle(day: string, dep: string, personId: number, on: boolean) {
    const key = `${day}/${dep}`;
    const now = onDuty(day, dep);
    setBusy(key);
    setErrors((e) => ({ ...e, [key]: '' }));
    try {
      await api.put(`/api/v1/stations/${stationId}/roster`, { day, department: dep, personIds: on ? [...now, personId] : now.filter((p) => p !== personId) });
      reload();
    } catch (err) {
      const f = formErrors(err, []);
      setErrors((e) => ({ ...e, [key]: f.message }));
    } finally {
      setBusy('');
    }
  }

  return (
    <>
      <div className={styles.yearBar}>
        <button type="button" className={styles.button} aria-label="上一周" onClick={() => onWeek(addDays(monday, -7))}>‹</button>
        <span className={styles.note}>{monday} 至 {days[6]}</span>
        <button type="button" className={styles.button} aria-label="下一周" onClick={() => onWeek(addDays(monday, 7))}>›</button>
      </div>
      {stationed.length === 0 ? (
        <p className={styles.note}>本站尚无进驻部门。</p>
      ) : (
        <table className={`${styles.table} ${styles.roster}`} aria-label="值班表">
          <thead>
            <tr>
              <th>部门</th>
              {days.map((d, i) => <th key={d} data-today={d === today()}>{WEEKDAY[i]} {d.slice(5)}</th>)}
            </tr>
          </thead>
          <tbody>
            {stationed.map((dep) => {
              const staff = people.filter((p) => p.department === dep.code);
              return (
                <tr key={dep.code}>
                  <th scope="row">{dep.name}</th>
                  {days.map((day) => {
                    const key = `${day}/${dep.code}`;
                    const ticked = onDuty(day, dep.code);
                    return (
                      <td key={day} data-cell={key}>
                        {staff.length === 0 && <span className={styles.note}>无部门人员</span>}
                        {staff.map((p) => (
                          <label key={p.id} className={styles.check}>
                            <input type="checkbox" aria-label={`${day} ${dep.name} ${p.name}`} checked={ticked.includes(p.id)} disabled={busy === key} onChange={(e) => void toggle(day, dep.code, p.id, e.target.checked)} />
                            {p.name}
                          </label>
                        ))}
                        <FieldError message={errors[key]} />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
