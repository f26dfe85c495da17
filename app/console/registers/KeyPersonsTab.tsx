'use client';

import { Fragment, useState } from 'react';
import { KEY_PERSON_CATEGORIES, type KeyPerson, type KeyPersonCategory } from '@/lib/contracts/keyPerson';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';
import KeyPersonForm from './KeyPersonForm';
import ImportSheet from '@/app/admin/ImportSheet';
import { GridSelect, RemoveButton, type GridOption } from './shared';

type Open = undefined | 'new' | number;

/**
 * Key persons of the station (S3). The server masks name, ID number and phone, and withholds the
 * note, for anyone but the grid's gridders and the leaders; each load is on the audit record.
 */
export default function KeyPersonsTab({ grids, canEdit }: { grids: GridOption[]; canEdit: boolean }) {
  const [grid, setGrid] = useState('');
  const [category, setCategory] = useState('');
  const query = new URLSearchParams(Object.entries({ grid, category }).filter(([, v]) => v)).toString();
  const people = useLoad<KeyPerson[]>(`/api/v1/key-persons${query ? `?${query}` : ''}`);
  const [open, setOpen] = useState<Open>(undefined);
  const gridName = new Map(grids.map((g) => [g.code, g.name]));
  const done = () => {
    setOpen(undefined);
    people.reload();
  };
  const masked = people.data?.some((p) => p.masked);

  return (
    <>
      <div className={styles.yearBar}>
        <GridSelect grids={grids} value={grid} onChange={setGrid} />
        <select className={styles.select} aria-label="类别" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">全部类别</option>
          {Object.entries(KEY_PERSON_CATEGORIES).map(([k, c]) => <option key={k} value={k}>{c.label}</option>)}
        </select>
      </div>
      <p className={styles.hint}>
        个人信息仅对所在网格的网格员、本站站长和常务副站长、区级领导显示原文，其他人看到打码内容；每次查看都记入审计日志。
        {masked ? ' 标“已打码”的行对您打码显示，编辑时可改写但不能读回原文。' : ''}
      </p>
      {canEdit && (open === 'new' ? (
        <KeyPersonForm person={null} onDone={done} onCancel={() => setOpen(undefined)} />
      ) : (
        <>
          <p><button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => setOpen('new')}>登记重点人员</button></p>
          <ImportSheet kind="key-persons" label="重点人员" onDone={people.reload} />
        </>
      ))}
      {people.error && <p className={styles.formError} role="alert">加载失败：{people.error}</p>}
      {people.data ? (
        <>
          <table className={styles.table} aria-label="重点人员">
            <thead><tr><th>姓名</th><th>身份证号</th><th>电话</th><th>类别</th><th className={styles.num}>每月走访</th><th>网格</th><th>地址</th><th>备注</th>{canEdit && <th />}</tr></thead>
            <tbody>
              {people.data.map((p) => (
                <Fragment key={p.id}>
                  <tr data-key-person={p.id} data-masked={p.masked}>
                    <td>{p.name}{p.masked && <> <span className={styles.badge}>已打码</span></>}</td>
                    <td className={styles.code}>{p.idNumber ?? '—'}</td>
                    <td className={styles.code}>{p.phone ?? '—'}</td>
                    <td>{KEY_PERSON_CATEGORIES[p.category as KeyPersonCategory]?.label ?? p.category}</td>
                    <td className={styles.num}>{p.visitsPerMonth}</td>
                    <td>{gridName.get(p.gridCode) ?? p.gridCode}</td>
                    <td>{p.address}</td>
                    <td>{p.masked ? '—' : p.note ?? ''}</td>
                    {canEdit && (
                      <td>
                        <div className={styles.actions}>
                          <button type="button" className={styles.button} onClick={() => setOpen(p.id)}>编辑</button>
                          <RemoveButton what={p.name} path={`/api/v1/key-persons/${p.id}`} onDone={people.reload} />
                        </div>
                      </td>
                    )}
                  </tr>
                  {open === p.id && (
                    <tr><td colSpan={9}><KeyPersonForm person={p} onDone={done} onCancel={() => setOpen(undefined)} /></td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {people.data.length === 0 && <p className={styles.empty}>没有符合条件的重点人员。</p>}
        </>
      ) : (
        !people.error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}
