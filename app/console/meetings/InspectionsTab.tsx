'use client';

import { Fragment, useEffect, useMemo, useState, type FormEvent } from 'react';
import Link from 'next/link';
import type { InspectionCompliance } from '@/lib/command/inspections';
import type { InspectionPlanV1 } from '@/lib/contracts/command';
import { getJson } from '../api';
import { useReference } from '../useReference';
import FindingForm, { useStationVillages } from './FindingForm';
import { dayLabel, monthLabel } from './format';
import { INSPECTION_KIND_LABEL, type InspectionKind } from './labels';
import { useSend } from './useSend';
import styles from './meetings.module.css';

interface Department {
  code: string;
  name: string;
}

interface Loaded {
  month: string;
  plan?: InspectionPlanV1;
  error?: string;
}

/** Participants as typed: separated by commas (either width), 、 or new lines. */
function participantsOf(text: string): string[] {
  return text.split(/[,，、;；\n]+/).map((s) => s.trim()).filter(Boolean);
}

/** S10: what the month's joint inspections require, what was done, key periods, and the forms to add both. */
export default function InspectionsTab({ month }: { month: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [version, setVersion] = useState(0);
  const { me, categories, departments } = useReference();
  const villages = useStationVillages(me?.stationId ?? null);

  useEffect(() => {
    const ctl = new AbortController();
    getJson<InspectionPlanV1>(`/api/v1/inspections/plan?month=${month}`, ctl.signal).then(
      (r) => setLoaded(r.ok ? { month, plan: r.body } : { month, error: r.message }),
      () => {}, // aborted: a newer month was asked for
    );
    return () => ctl.abort();
  }, [month, version]);

  const reload = () => setVersion((v) => v + 1);
  const names = useMemo(() => new Map(departments.map((d) => [d.code, d.name])), [departments]);
  const nameOf = (code: string | null) => (code === null ? '' : names.get(code) ?? code);
  const current = loaded?.month === month ? loaded : null;
  const plan = current?.plan ?? null;
  // Departments that owe weekly inspections (the station's resident ones) come first in the select.
  const resident = useMemo(
    () => (plan?.requirements ?? []).filter((r) => r.kind === 'department_weekly' && r.department !== null).map((r) => r.department as string),
    [plan],
  );

  return (
    <>
      <p className={styles.hint}>
        常驻部门每周至少牵头一次联合巡查，工作站每月组织一次全站联查；重点时段（重大活动、节假日、事故多发季节）所在周加密：部门每周两次，全站每周一次。巡查中发现的问题在该次记录下方登记，即作为本站事件进入受理流程。
      </p>
      {!current ? (
        <p className={styles.loading}>加载中…</p>
      ) : current.error || !plan ? (
        <div className={styles.actions}>
          <p className={styles.formError} role="alert">加载失败：{current.error}</p>
          <button type="button" className={styles.button} onClick={reload}>重试</button>
        </div>
      ) : (
        <>
          <h2 className={styles.sectionTitle}>{monthLabel(month)}巡查要求</h2>
          <RequirementsTable requirements={plan.requirements} nameOf={nameOf} />

          <h2 className={styles.sectionTitle}>重点时段</h2>
          {plan.keyPeriods.length === 0 ? (
            <p className={styles.empty}>本月没有重点时段。</p>
          ) : (
            <ul className={styles.keyPeriods} data-testid="keyperiods">
              {plan.keyPeriods.map((k) => (
                <li key={k.id} data-testid={`keyperiod-${k.id}`}>
                  <span className={styles.badge} data-key="true">{k.name}</span> {dayLabel(k.startsOn)}–{dayLabel(k.endsOn)}
                </li>
              ))}
            </ul>
          )}
          <KeyPeriodForm month={month} onSaved={reload} />

          <h2 className={styles.sectionTitle}>巡查记录</h2>
          <InspectionForm departments={departments} resident={resident} onSaved={reload} />
          {plan.inspections.length === 0 ? (
            <p className={styles.empty}>本月尚无巡查记录。</p>
          ) : (
            <table className={styles.table} data-testid="inspections">
              <thead>
                <tr>
                  <th>日期</th>
                  <th>类型</th>
                  <th>牵头部门</th>
                  <th>路线或区域</th>
                  <th>参加人员</th>
                  <th>发现问题</th>
                </tr>
              </thead>
              <tbody>
                {plan.inspections.map((i) => (
                  <Fragment key={i.id}>
                    <tr data-testid={`inspection-${i.id}`}>
                      <td className={styles.nowrap}>{dayLabel(i.day)}</td>
                      <td className={styles.nowrap}>{INSPECTION_KIND_LABEL[i.kind]}</td>
                      <td className={styles.nowrap}>{i.department === null ? '全站' : nameOf(i.department)}</td>
                      <td>{i.area}</td>
                      <td>{i.participants.join('、')} <Link className={styles.link} href={`/console/history?inspection=${i.id}`} data-testid={`route-${i.id}`}>路线回放</Link></td>
                      <td>
                        {i.findings.length === 0 ? (
                          <span className={styles.muted}>无</span>
                        ) : (
                          <ul className={styles.windows} aria-label="发现问题（已转为事件）">
                            {i.findings.map((id) => (
                              <li key={id}>
                                <Link className={styles.link} href={`/console?event=${id}`} data-testid={`finding-${id}`}>事件 #{id}</Link>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                    <tr>
                      <td colSpan={6}>
                        <FindingForm inspectionId={i.id} categories={categories} villages={villages} onSaved={reload} />
                      </td>
                    </tr>
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

function RequirementsTable({ requirements, nameOf }: { requirements: InspectionCompliance[]; nameOf: (code: string | null) => string }) {
  if (requirements.length === 0) return <p className={styles.empty}>本月没有巡查要求。</p>;
  return (
    <table className={styles.table} data-testid="requirements">
      <thead>
        <tr>
          <th>要求</th>
          <th className={styles.num}>应完成</th>
          <th className={styles.num}>已完成</th>
          <th>达标</th>
          <th>时段（已完成/应完成）</th>
        </tr>
      </thead>
      <tbody>
        {requirements.map((r) => (
          <tr key={`${r.kind}-${r.department ?? 'station'}`} data-testid={`requirement-${r.kind}-${r.department ?? 'station'}`} data-met={r.met}>
            <td>
              {INSPECTION_KIND_LABEL[r.kind]}
              {r.department !== null && <> · {nameOf(r.department)}</>}
              {r.keyPeriod && <span className={styles.badge} data-key="true" data-testid="keyperiod-raised">重点时段加密</span>}
            </td>
            <td className={styles.num}>{r.required}</td>
            <td className={styles.num}>{r.done}</td>
            <td><span className={styles.badge} data-met={r.met} data-testid="requirement-met">{r.met ? '达标' : '未达标'}</span></td>
            <td>
              <ul className={styles.windows}>
                {r.windows.map((w) => (
                  <li key={w.from} data-met={w.done >= w.required}>
                    {dayLabel(w.from)}–{dayLabel(w.to)} <strong>{w.done}/{w.required}</strong>
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KeyPeriodForm({ month, onSaved }: { month: string; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const { send, busy, error } = useSend();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await send<{ id: number }>('/api/v1/key-periods', { name, startsOn, endsOn });
    if (!r) return;
    setName('');
    setStartsOn('');
    setEndsOn('');
    onSaved();
  }

  return (
    <form className={styles.form} onSubmit={submit} data-testid="keyperiod-form">
      <h3>添加重点时段</h3>
      <label className={styles.field}>
        <span>名称</span>
        <input className={styles.input} name="name" value={name} placeholder="国庆假期" maxLength={100} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label className={styles.field}>
        <span>开始日期</span>
        <input className={styles.input} type="date" name="startsOn" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} required />
      </label>
      <label className={styles.field}>
        <span>结束日期</span>
        <input className={styles.input} type="date" name="endsOn" value={endsOn} min={startsOn || undefined} onChange={(e) => setEndsOn(e.target.value)} required />
      </label>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : '添加'}</button>
      </div>
      <span className={styles.note}>所在周的巡查要求自动加密（当前查看：{monthLabel(month)}）</span>
      {error && <p className={styles.formError} role="alert">{error}</p>}
    </form>
  );
}

function InspectionForm({ departments, resident, onSaved }: { departments: readonly Department[]; resident: string[]; onSaved: () => void }) {
  const [kind, setKind] = useState<InspectionKind>('department_weekly');
  const [department, setDepartment] = useState('');
  const [day, setDay] = useState('');
  const [area, setArea] = useState('');
  const [participants, setParticipants] = useState('');
  const { send, busy, error } = useSend();

  const residentSet = new Set(resident);
  const first = departments.filter((d) => residentSet.has(d.code));
  const others = departments.filter((d) => !residentSet.has(d.code));
  // Until one is picked, the select shows the first resident department: that is what is sent.
  const chosen = department || first[0]?.code || others[0]?.code || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await send<{ id: number }>('/api/v1/inspections', {
      kind,
      department: kind === 'department_weekly' ? chosen : null,
      day,
      area,
      participants: participantsOf(participants),
    });
    if (!r) return;
    setArea('');
    setDay('');
    onSaved();
  }

  return (
    <form className={styles.form} onSubmit={submit} data-testid="inspection-form">
      <h3>登记一次联合巡查</h3>
      <label className={styles.field}>
        <span>类型</span>
        <select className={styles.select} name="kind" value={kind} onChange={(e) => setKind(e.target.value as InspectionKind)}>
          {Object.entries(INSPECTION_KIND_LABEL).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </label>
      {kind === 'department_weekly' && (
        <label className={styles.field}>
          <span>牵头部门</span>
          <select className={styles.select} name="department" value={chosen} onChange={(e) => setDepartment(e.target.value)} required>
            {first.length > 0 && (
              <optgroup label="常驻部门">
                {first.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
              </optgroup>
            )}
            {others.length > 0 && (
              <optgroup label="其他部门">
                {others.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
              </optgroup>
            )}
          </select>
        </label>
      )}
      <label className={styles.field}>
        <span>日期</span>
        <input className={styles.input} type="date" name="day" value={day} onChange={(e) => setDay(e.target.value)} required />
      </label>
      <label className={`${styles.field} ${styles.grow}`}>
        <span>巡查路线或区域</span>
        <input className={`${styles.input} ${styles.wide}`} name="area" value={area} maxLength={500} placeholder="沿河路—集贸市场—学校周边" onChange={(e) => setArea(e.target.value)} required />
      </label>
      <label className={`${styles.field} ${styles.grow}`}>
        <span>参加人员（逗号分隔）</span>
        <input className={`${styles.input} ${styles.wide}`} name="participants" value={participants} placeholder="张三，李四，王五" onChange={(e) => setParticipants(e.target.value)} required />
      </label>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : '登记'}</button>
      </div>
      {error && <p className={styles.formError} role="alert">{error}</p>}
    </form>
  );
}
