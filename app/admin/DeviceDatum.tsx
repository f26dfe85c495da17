'use client';

import { useState, type FormEvent } from 'react';
import type { Datum } from '@/lib/contracts/master';
import { api, formErrors, NO_ERRORS, type FormErrors } from './api';
import { Field, FormError } from './Field';
import type { DeviceTokenRow } from './masterTypes';
import styles from './admin.module.css';

/** The datums a device may report in (issue 12); the README's table says which input is which. */
export const DATUM_LABEL: Record<Datum, string> = {
  wgs84: 'WGS-84（GPS 原始坐标）',
  gcj02: 'GCJ-02（高德、腾讯地图 SDK）',
  bd09: 'BD-09（百度地图 SDK）',
};
const DATUMS = Object.keys(DATUM_LABEL) as Datum[];

/** The datum picked when issuing a token. */
export function DatumSelect({ value, onChange }: { value: Datum; onChange: (d: Datum) => void }) {
  return (
    <Field label="坐标系">
      <select className={styles.select} name="datum" value={value} onChange={(e) => onChange(e.target.value as Datum)} data-testid="device-datum">
        {DATUMS.map((d) => <option key={d} value={d}>{DATUM_LABEL[d]}</option>)}
      </select>
    </Field>
  );
}

/** A tracker reconfigured to another map SDK keeps its token: its datum changes here. */
export default function DeviceDatum({ tokens, reload }: { tokens: DeviceTokenRow[]; reload: () => void }) {
  const live = tokens.filter((t) => !t.revokedAt);
  const [id, setId] = useState<number | null>(null);
  const [datum, setDatum] = useState<Datum>('wgs84');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const current = live.find((t) => t.id === id) ?? live[0];
  if (!current) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.patch(`/api/v1/admin/device-tokens/${current.id}`, { datum });
      reload();
    } catch (err) {
      setErrors(formErrors(err, ['datum']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="更改设备坐标系">
      <Field label="设备令牌">
        <select className={styles.select} value={current.id} onChange={(e) => setId(Number(e.target.value))}>
          {live.map((t) => <option key={t.id} value={t.id}>{t.name}（现为 {t.datum.toUpperCase()}）</option>)}
        </select>
      </Field>
      <DatumSelect value={datum} onChange={setDatum} />
      <div className={styles.formActions}>
        <button type="submit" className={styles.button} disabled={busy || datum === current.datum}>{busy ? '保存中…' : '更改坐标系'}</button>
      </div>
      <FormError errors={errors} />
    </form>
  );
}
