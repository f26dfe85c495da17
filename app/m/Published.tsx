'use client';

import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import { loadPublished, type PublishedCollection } from './api';
import s from './m.module.css';

const PublishedMap = dynamic(() => import('./PublishedMap'), { ssr: false });

/** Shown only when some station publishes; otherwise one plain sentence. */
export default function Published() {
  const [data, setData] = useState<PublishedCollection | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadPublished().then(setData, () => setFailed(true));
  }, []);
  const counts = useMemo(() => {
    const by = new Map<string, number>();
    for (const f of data?.features ?? []) by.set(f.properties.categoryLabel, (by.get(f.properties.categoryLabel) ?? 0) + 1);
    return [...by.entries()].sort((a, b) => b[1] - a[1]);
  }, [data]);

  if (failed) return <p className={s.error}>加载失败，请稍后再试</p>;
  if (!data) return <p className={s.hint}>加载中…</p>;
  if (!data.features.length) return <p className={s.hint} data-testid="m-published-none">目前没有工作站公开已办结问题。</p>;
  return (
    <section className={s.card}>
      <p className={s.hint}>近 12 个月已办结的群众反映问题（位置约 100 米精度，不含任何个人信息）。</p>
      <PublishedMap data={data} />
      <ul className={s.mine}>
        {counts.map(([label, n]) => (
          <li key={label} className={s.hint}>{label}：{n} 件</li>
        ))}
      </ul>
    </section>
  );
}
