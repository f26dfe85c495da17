'use client';

import { useEffect, useState } from 'react';
import {
  ACCOUNTABILITY_KIND_LABEL, ACCOUNTABILITY_KINDS, ACCOUNTABILITY_SOURCE_LABEL, type AccountabilityDraftV1, type AccountabilityKind, type AccountabilitySource,
} from '@/lib/contracts/accountability';
import { DEPARTMENTS } from '@/lib/departments';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useStationPick } from '@/app/admin/StationPick';
import styles from '@/app/admin/admin.module.css';
import { newKey } from '../reviews/format';

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const lastMonth = () => {
  const [y, m] = today().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};
const SHOWN = ['kind', 'stationId', 'departmentCode', 'personIds', 'eventIds', 'title', 'detail', 'decidedOn'];

interface Pick { id: number; label: string; on: boolean }

/**
 * 新建记录: by hand, or from a draft — a red-carded event (?event=<id>, from the event's drawer) or a
 * station's overdue list of a month — whose station, department, handlers and events it fills in.
 */
export default function CreateRecord({ eventId, onDone }: { eventId: number | null; onDone: () => void }) {
  const [open, setOpen] = useState(eventId !== null);
  const [source, setSource] = useState<AccountabilitySource>('manual');
  const [kind, setKind] = useState<AccountabilityKind>('notice');
  const { stationId: picked, picker } = useStationPick(null);
  const [stationId, setStationId] = useState<number | null>(null);
  const [stationName, setStationName] = useState('');
  const [department, setDepartment] = useState('');
  const [people, setPeople] = useState<Pick[]>([]);
  const [events, setEvents] = useState<Pick[]>([]);
  const [extraPeople, setExtraPeople] = useState('');
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [decidedOn, setDecidedOn] = useState(today);
  const [period, setPeriod] = useState(lastMonth);
  const [key, setKey] = useState(newKey);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  function fill(d: AccountabilityDraftV1) {
    setSource(d.source);
    setStationId(d.stationId);
    setStationName(d.stationName);
    setDepartment(d.departmentCode ?? '');
    setPeople(d.people.map((p) => ({ id: p.id, label: `${p.name}${p.why ? `（${p.why}）` : ''}`, on: true })));
    setEvents(d.events.map((e) => ({ id: e.id, label: `#${e.id} ${e.title}${e.redCarded ? '（红牌）' : ''}`, on: true })));
    setTitle(d.title);
    setDetail(d.detail);
    setErrors(NO_ERRORS);
  }
  async function load(url: string) {
    try {
      fill(await api.get<AccountabilityDraftV1>(url));
      setOpen(true);
    } catch (err) {
      setErrors(formErrors(err, []));
    }
  }
  useEffect(() => {
    if (eventId === null) return;
    let current = true;
    // Once per event given in the address; its answer lands in the form when it comes.
    api.get<AccountabilityDraftV1>(`/api/v1/accountability/prefill?event=${eventId}`).then(
      (d) => current && fill(d),
      (err: unknown) => current && setErrors(formErrors(err, [])),
    );
    return () => {
      current = false;
    };
  }, [eventId]);

  const station = stationId ?? picked;
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (station === null) return setErrors({ fields: { stationId: '请选择工作站' }, message: '' });
    setBusy(true);
    const extra = extraPeople.split(/[\s,，、]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
    try {
      await api.post('/api/v1/accountability', {
        requestKey: key, kind, stationId: station, source, title, detail, decidedOn,
        ...(department ? { departmentCode: department } : {}),
        personIds: [...new Set([...people.filter((p) => p.on).map((p) => p.id), ...extra])],
        eventIds: events.filter((x) => x.on).map((x) => x.id),
      });
      setKey(newKey());
      setOpen(false);
      onDone();
    } catch (err) {
      setErrors(formErrors(err, SHOWN));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <section className={styles.panel}>
        <div className={styles.form}>
          <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setOpen(true)}>手工新建</button>
          {picker}
          <label className={styles.field}><span>月份</span><input className={styles.input} type="month" value={period} onChange={(e) => setPeriod(e.target.value)} /></label>
          <button type="button" className={styles.button} disabled={picked === null || !period} onClick={() => load(`/api/v1/accountability/overdue?stationId=${picked}&period=${period}`)}>由超期清单生成</button>
          {errors.message && <span className={styles.formError} role="alert">{errors.message}</span>}
        </div>
      </section>
    );
  }
  const toggle = (list: Pick[], set: (l: Pick[]) => void, id: number) => set(list.map((p) => (p.id === id ? { ...p, on: !p.on } : p)));
  return (
    <section className={styles.panel}>
      <form className={styles.form} onSubmit={submit} data-testid="create-record">
        <h2>新建追责问责记录（{ACCOUNTABILITY_SOURCE_LABEL[source]}）</h2>
        <label className={styles.field}><span>类型</span>
          <select className={styles.select} value={kind} onChange={(e) => setKind(e.target.value as AccountabilityKind)}>
            {ACCOUNTABILITY_KINDS.map((k) => <option key={k} value={k}>{ACCOUNTABILITY_KIND_LABEL[k]}</option>)}
          </select>
        </label>
        {stationId !== null ? <p>工作站：{stationName}</p> : picker}
        {errors.fields.stationId && <span className={styles.fieldError}>{errors.fields.stationId}</span>}
        <label className={styles.field}><span>责任部门</span>
          <select className={styles.select} value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">（不涉及部门）</option>
            {DEPARTMENTS.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
        </label>
        <fieldset className={styles.checks}>
          <legend>点名人员</legend>
          {people.map((p) => <label key={p.id} className={styles.check}><input type="checkbox" checked={p.on} onChange={() => toggle(people, setPeople, p.id)} />{p.label}</label>)}
          <label className={styles.field}><span>另加人员编号</span><input className={styles.input} value={extraPeople} onChange={(e) => setExtraPeople(e.target.value)} placeholder="如 12、35" aria-invalid={Boolean(errors.fields.personIds)} /></label>
          {errors.fields.personIds && <span className={styles.fieldError}>{errors.fields.personIds}</span>}
        </fieldset>
        {events.length > 0 && (
          <fieldset className={styles.checks}>
            <legend>关联事件</legend>
            {events.map((x) => <label key={x.id} className={styles.check}><input type="checkbox" checked={x.on} onChange={() => toggle(events, setEvents, x.id)} />{x.label}</label>)}
            {errors.fields.eventIds && <span className={styles.fieldError}>{errors.fields.eventIds}</span>}
          </fieldset>
        )}
        <label className={styles.field}><span>标题</span>
          <input className={styles.input} value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={Boolean(errors.fields.title)} />
          {errors.fields.title && <span className={styles.fieldError}>{errors.fields.title}</span>}
        </label>
        <label className={styles.field}><span>事由与处理意见</span>
          <textarea className={styles.input} rows={4} cols={60} value={detail} onChange={(e) => setDetail(e.target.value)} aria-invalid={Boolean(errors.fields.detail)} />
          {errors.fields.detail && <span className={styles.fieldError}>{errors.fields.detail}</span>}
        </label>
        <label className={styles.field}><span>作出日期</span>
          <input className={styles.input} type="date" value={decidedOn} onChange={(e) => setDecidedOn(e.target.value)} aria-invalid={Boolean(errors.fields.decidedOn)} />
          {errors.fields.decidedOn && <span className={styles.fieldError}>{errors.fields.decidedOn}</span>}
        </label>
        <div className={styles.formActions}>
          <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>保存</button>
          <button type="button" className={styles.button} onClick={() => setOpen(false)}>取消</button>
        </div>
        {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
      </form>
    </section>
  );
}
