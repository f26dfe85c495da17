'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { EventReportV1 } from '@/lib/contracts/events';
import { getJson, postJson } from '../api';
import type { CategoryRef } from '../useReference';
import { newRequestKey } from '../actions';
import styles from './meetings.module.css';

export interface VillageOption {
  code: string;
  name: string;
}

interface Features<P> {
  features: { properties: P }[];
}

/**
 * The villages the viewer's station covers, by name, for the findings' village select: the
 * stations layer says which codes, the village layer their names. Empty while loading, for an
 * account of no station, or when either fails: the form then places findings by address alone.
 */
export function useStationVillages(stationId: number | null): VillageOption[] {
  const [villages, setVillages] = useState<VillageOption[]>([]);
  useEffect(() => {
    if (stationId === null) return;
    const ctl = new AbortController();
    Promise.all([
      getJson<Features<{ id: number; villageCodes: string[] }>>('/api/v1/stations', ctl.signal),
      getJson<Features<{ code: string; name: string }>>('/api/v1/regions?level=village', ctl.signal),
    ]).then(
      ([stations, regions]) => {
        if (!stations.ok || !regions.ok) return;
        const codes = new Set(stations.body.features.find((f) => f.properties.id === stationId)?.properties.villageCodes ?? []);
        setVillages(regions.body.features.map((f) => f.properties).filter((v) => codes.has(v.code)).map((v) => ({ code: v.code, name: v.name })));
      },
      () => {}, // aborted: the tab was left
    );
    return () => ctl.abort();
  }, [stationId]);
  return villages;
}

type Report = Pick<EventReportV1, 'v' | 'idempotencyKey' | 'category' | 'subcategory' | 'title' | 'villageCode' | 'address'>;

/**
 * A problem found on an inspection (S10, S12): reported as an event of the station, linked to the
 * inspection. Each submit carries a fresh idempotency key, except the retry of one that never got
 * an answer with the very same content: that keeps its key, so the server answers with the first
 * event instead of making a second.
 */
export default function FindingForm({ inspectionId, categories, villages, onSaved }: {
  inspectionId: number;
  categories: readonly CategoryRef[];
  villages: readonly VillageOption[];
  onSaved: () => void;
}) {
  const [category, setCategory] = useState('');
  const [title, setTitle] = useState('');
  const [village, setVillage] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = useRef<{ signature: string; key: string } | null>(null);

  // Until one is picked, the select shows the first category: that is what is sent.
  const chosen = category || categories[0]?.code || '';
  const id = (name: string) => `finding-${inspectionId}-${name}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const [top] = chosen.split('.');
    const content = {
      category: top,
      ...(chosen !== top ? { subcategory: chosen } : {}),
      title: title.trim(),
      ...(village ? { villageCode: village } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
    };
    if (!content.villageCode && !content.address) {
      setError('请选择村（社区）或填写地址');
      return;
    }
    const signature = JSON.stringify(content);
    const key = retry.current?.signature === signature ? retry.current.key : newRequestKey();
    const body: Report = { v: 1, idempotencyKey: key, ...content };
    setBusy(true);
    setError(null);
    const r = await postJson<{ eventId: number; created: boolean }>(`/api/v1/inspections/${inspectionId}/findings`, body);
    setBusy(false);
    retry.current = !r.ok && r.status === 0 ? { signature, key } : null;
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setTitle('');
    setAddress('');
    onSaved();
  }

  return (
    <form className={styles.actions} onSubmit={submit} data-testid={`finding-form-${inspectionId}`} aria-label="登记发现问题">
      <strong className={styles.note}>登记发现问题</strong>
      <label className={styles.note} htmlFor={id('category')}>类别</label>
      <select className={styles.select} id={id('category')} name="category" value={chosen} onChange={(e) => setCategory(e.target.value)} required>
        {categories.map((c) => (
          <optgroup key={c.code} label={c.label}>
            <option value={c.code}>{c.label}</option>
            {c.subcategories.map((s) => <option key={s.code} value={s.code}>{c.label} / {s.label}</option>)}
          </optgroup>
        ))}
      </select>
      <label className={styles.note} htmlFor={id('title')}>问题</label>
      <input className={styles.input} id={id('title')} name="title" value={title} maxLength={200} placeholder="消防通道被占用" onChange={(e) => setTitle(e.target.value)} required />
      {villages.length > 0 && (
        <>
          <label className={styles.note} htmlFor={id('village')}>村（社区）</label>
          <select className={styles.select} id={id('village')} name="villageCode" value={village} onChange={(e) => setVillage(e.target.value)}>
            <option value="">按地址定位</option>
            {villages.map((v) => <option key={v.code} value={v.code}>{v.name}</option>)}
          </select>
        </>
      )}
      <label className={styles.note} htmlFor={id('address')}>地址</label>
      <input
        className={styles.input}
        id={id('address')}
        name="address"
        value={address}
        maxLength={300}
        placeholder={village ? '（选填）门牌或地标' : '须写明村（社区）名称及门牌或地标'}
        onChange={(e) => setAddress(e.target.value)}
        required={!village}
      />
      <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy || !chosen}>{busy ? '提交中…' : '登记'}</button>
      {error && <p className={styles.formError} role="alert">{error}</p>}
    </form>
  );
}
