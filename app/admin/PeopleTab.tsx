'use client';

import { Fragment, useState } from 'react';
import { ROLE_LABEL } from '@/lib/roles';
import { AccountForm, AccountLine } from './PeopleAccounts';
import ImportSheet from './ImportSheet';
import PersonForm from './PersonForm';
import type { Collection, Department, PersonRow, RegionProps } from './masterTypes';
import { useStationPick } from './StationPick';
import { useLoad } from './useLoad';
import styles from './admin.module.css';

/** `undefined`: nothing open; 'new': a new person; a person id with what is open for them. */
type Open = undefined | 'new' | { id: number; what: 'edit' | 'account' };

/** A station's people, their roles and grids (S6), and the accounts they sign in with. */
export default function PeopleTab({ stationId }: { stationId: number | null }) {
  const pick = useStationPick(stationId);
  const id = pick.stationId;
  const people = useLoad<PersonRow[]>(id ? `/api/v1/people?station=${id}` : null);
  const departments = useLoad<Department[]>('/api/v1/departments');
  const grids = useLoad<Collection<RegionProps>>('/api/v1/regions?level=grid');
  const allVillages = useLoad<Collection<RegionProps>>('/api/v1/regions?level=village');
  const [open, setOpen] = useState<Open>(undefined);
  const error = people.error || departments.error || grids.error;

  const villages = new Set(pick.stations.find((s) => s.id === id)?.villageCodes ?? []);
  const stationGrids = (grids.data?.features ?? []).map((f) => f.properties).filter((g) => g.parentCode !== null && villages.has(g.parentCode));
  const stationVillages = (allVillages.data?.features ?? []).map((f) => f.properties).filter((v) => villages.has(v.code));
  const gridName = new Map([...stationGrids, ...stationVillages].map((g) => [g.code, g.name]));
  const depName = new Map((departments.data ?? []).map((d) => [d.code, d.name]));
  const done = () => {
    setOpen(undefined);
    people.reload();
  };
  const isOpen = (pid: number, what: 'edit' | 'account') => typeof open === 'object' && open.id === pid && open.what === what;

  return (
    <>
      {pick.picker}
      {error && <p className={styles.formError} role="alert">加载失败：{error}</p>}
      {id && people.data && departments.data && grids.data ? (
        <>
          <p className={styles.hint}>人员属于工作站；账号属于人员，账号角色须是此人的角色之一。停用账号、重置密码或退出所有登录会立即结束此账号的全部会话。</p>
          {open === 'new' ? (
            <PersonForm stationId={id} person={null} departments={departments.data} grids={stationGrids} villages={stationVillages} onDone={done} onCancel={() => setOpen(undefined)} />
          ) : (
            <>
              <p><button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setOpen('new')}>添加人员</button></p>
              <ImportSheet kind="people" label="人员" onDone={people.reload} />
            </>
          )}
          <table className={styles.table} aria-label="人员">
            <thead><tr><th>姓名</th><th>电话</th><th>部门</th><th>角色</th><th>账号</th><th /></tr></thead>
            <tbody>
              {people.data.map((p) => (
                <Fragment key={p.id}>
                  <tr data-person={p.name}>
                    <td>{p.name}</td>
                    <td className={styles.code}>{p.phone ?? '—'}</td>
                    <td>{p.department ? depName.get(p.department) ?? p.department : '—'}</td>
                    <td>{p.roles.map((r) => `${ROLE_LABEL[r.role]}${r.gridCode ? `（${gridName.get(r.gridCode) ?? r.gridCode}）` : ''}`).join('、') || '—'}</td>
                    <td>{p.accounts.map((a) => <AccountLine key={a.id} account={a} reload={people.reload} />)}</td>
                    <td>
                      <div className={styles.actions}>
                        <button type="button" className={styles.button} onClick={() => setOpen({ id: p.id, what: 'edit' })}>编辑</button>
                        <button type="button" className={styles.button} onClick={() => setOpen({ id: p.id, what: 'account' })}>开通账号</button>
                      </div>
                    </td>
                  </tr>
                  {(isOpen(p.id, 'edit') || isOpen(p.id, 'account')) && (
                    <tr>
                      <td colSpan={6}>
                        {isOpen(p.id, 'edit') ? (
                          <PersonForm stationId={id} person={p} departments={departments.data!} grids={stationGrids} villages={stationVillages} onDone={done} onCancel={() => setOpen(undefined)} />
                        ) : (
                          <AccountForm person={p} district={stationId === null} onDone={done} onCancel={() => setOpen(undefined)} />
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {people.data.length === 0 && <p className={styles.empty}>本站尚无人员。</p>}
        </>
      ) : (
        id && !error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}
