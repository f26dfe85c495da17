'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { HOLIDAY_KIND_LABEL, type Holiday, type HolidayKind, type HolidayYear } from '@/lib/contracts/admin';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { Field, FormError } from './Field';
import styles from './admin.module.css';

const WEEKDAY = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekdayOf = (day: string) => WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()];
const FIELDS = ['day', 'kind', 'name'];

export default function HolidaysTab() {
  // null until the server says which year it is in Shanghai.
  const [year, setYear] = useState<number | null>(null);
  const [data, setData] = useState<HolidayYear | null>(null);
  const [version, setVersion] = useState(0);
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    let current = true;
    api.get<HolidayYear>(`/api/v1/admin/holidays${year === null ? '' : `?year=${year}`}`).then(
      (d) => {
        if (!current) return;
        setData(d);
        setLoadError('');
      },
      (err: unknown) => {
        if (current) setLoadError((err as Error).message);
      },
    );
    return () => {
      current = false;
    };
  }, [year, version]);

  const reload = () => setVersion((v) => v + 1);
  const shown = data?.year ?? year;
  const years = data ? [...new Set([...data.years, data.year - 1, data.year + 1])].sort((a, b) => a - b) : [];
  const off = data?.days.filter((d) => d.kind === 'holiday').length ?? 0;

  return (
    <>
      <p className={styles.hint}>
        工作日按周一至周五计算，此表列出例外：工作日放假（含周末放假以便对照通知），以及周末调休上班。国务院办公厅每年底公布次年安排，请按通知逐日录入；修改只影响此后计算的时限。
      </p>
      {loadError && <p className={styles.formError} role="alert">加载失败：{loadError}</p>}
      {data && shown !== null && (
        <>
          <div className={styles.yearBar}>
            <button type="button" className={styles.button} aria-label="上一年" onClick={() => setYear(shown - 1)}>‹</button>
            <select className={styles.select} aria-label="年份" value={shown} onChange={(e) => setYear(Number(e.target.value))}>
              {years.map((y) => <option key={y} value={y}>{y} 年</option>)}
            </select>
            <button type="button" className={styles.button} aria-label="下一年" onClick={() => setYear(shown + 1)}>›</button>
            <span className={styles.note}>放假 {off} 天，调休上班 {data.days.length - off} 天</span>
          </div>
          <NewHolidayForm key={shown} year={shown} days={data.days} onSaved={reload} />
          {data.days.length === 0 ? (
            <p className={styles.empty}>{shown} 年尚未录入节假日。</p>
          ) : (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>日期</th>
                  <th>星期</th>
                  <th>类型</th>
                  <th>名称</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.days.map((d) => <HolidayRow key={d.day} holiday={d} onRemoved={reload} />)}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

function HolidayRow({ holiday: h, onRemoved }: { holiday: Holiday; onRemoved: () => void }) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function remove() {
    if (!window.confirm(`从表中删除 ${h.day}（${h.name}）？`)) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.delete(`/api/v1/admin/holidays/${h.day}`);
      onRemoved();
    } catch (err) {
      setErrors(formErrors(err, []));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr>
      <td className={styles.code}>{h.day}</td>
      <td>{weekdayOf(h.day)}</td>
      <td><span className={styles.badge} data-kind={h.kind}>{HOLIDAY_KIND_LABEL[h.kind]}</span></td>
      <td>{h.name}</td>
      <td>
        <button type="button" className={`${styles.button} ${styles.danger}`} disabled={busy} onClick={() => void remove()}>删除</button>
        <FormError errors={errors} />
      </td>
    </tr>
  );
}

function NewHolidayForm({ year, days, onSaved }: { year: number; days: Holiday[]; onSaved: () => void }) {
  const [day, setDay] = useState('');
  const [kind, setKind] = useState<HolidayKind>('holiday');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const existing = days.find((d) => d.day === day);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.put(`/api/v1/admin/holidays/${encodeURIComponent(day)}`, { kind, name });
      setDay('');
      onSaved();
    } catch (err) {
      setErrors(formErrors(err, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit}>
      <h3>添加或修改一天</h3>
      <Field label="日期" error={errors.fields.day}>
        <input className={styles.input} type="date" min={`${year}-01-01`} max={`${year}-12-31`} value={day} aria-invalid={!!errors.fields.day} onChange={(e) => setDay(e.target.value)} required />
      </Field>
      <Field label="类型" error={errors.fields.kind}>
        <select className={styles.select} value={kind} aria-invalid={!!errors.fields.kind} onChange={(e) => setKind(e.target.value as HolidayKind)}>
          {Object.entries(HOLIDAY_KIND_LABEL).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </Field>
      <Field label="名称" error={errors.fields.name}>
        <input className={styles.input} value={name} placeholder={kind === 'holiday' ? '春节' : '春节调休'} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : existing ? '覆盖' : '添加'}</button>
      </div>
      {day && (
        <span className={styles.note}>
          {weekdayOf(day)}
          {existing && `；已在表中（${HOLIDAY_KIND_LABEL[existing.kind]} · ${existing.name}），保存将覆盖`}
        </span>
      )}
      <FormError errors={errors} />
    </form>
  );
}
