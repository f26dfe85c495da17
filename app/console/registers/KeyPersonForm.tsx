'use client';

import { useState, type FormEvent } from 'react';
import { KEY_PERSON_CATEGORIES, type KeyPerson, type KeyPersonCategory } from '@/lib/contracts/keyPerson';
import { api } from '@/app/admin/api';
import { Field, FormActions, numeric } from '@/app/admin/Field';
import { useSubmit } from '@/app/admin/useSubmit';
import styles from '@/app/admin/admin.module.css';
import { changed, decimal } from './shared';

const FIELDS = ['name', 'idNumber', 'phone', 'category', 'visitsPerMonth', 'address', 'lon', 'lat', 'note'];
const PERSONAL = ['name', 'idNumber', 'phone', 'note'] as const;

/**
 * A key person, new or edited. For a viewer who sees the person masked, the personal fields start
 * empty: left empty they stay as they are (stars are never sent back over the real data), filled
 * in they replace it.
 */
export default function KeyPersonForm({ person, onDone, onCancel }: { person: KeyPerson | null; onDone: () => void; onCancel: () => void }) {
  const masked = person?.masked ?? false;
  const start = (v: string | null | undefined) => (masked ? '' : v ?? '');
  const [name, setName] = useState(start(person?.name));
  const [idNumber, setIdNumber] = useState(start(person?.idNumber));
  const [phone, setPhone] = useState(start(person?.phone));
  const [note, setNote] = useState(start(person?.note));
  const [category, setCategory] = useState<KeyPersonCategory>(person?.category ?? 'elderly_alone');
  const [visits, setVisits] = useState(person ? String(person.visitsPerMonth) : '');
  const [address, setAddress] = useState(person?.address ?? '');
  const [lon, setLon] = useState(person ? String(person.lon) : '');
  const [lat, setLat] = useState(person ? String(person.lat) : '');
  const { errors, busy, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const personal = { name: name.trim(), idNumber: idNumber.trim() || null, phone: phone.trim() || null, note: note.trim() || null };
    const body: Record<string, unknown> = {
      ...personal,
      category,
      visitsPerMonth: visits.trim() ? numeric(visits) : undefined,
      address,
      lon: decimal(lon),
      lat: decimal(lat),
    };
    if (!person) {
      if (await run(FIELDS, () => api.post('/api/v1/key-persons', body))) onDone();
      return;
    }
    // Masked: an empty personal field means "leave as it is".
    if (masked) for (const k of PERSONAL) if (!personal[k]) delete body[k];
    const before: Record<string, unknown> = { ...(masked ? {} : { name: person.name, idNumber: person.idNumber, phone: person.phone, note: person.note }), category: person.category, visitsPerMonth: person.visitsPerMonth, address: person.address, lon: person.lon, lat: person.lat };
    const patch = changed(before, body);
    // A move gives both coordinates.
    if ('lon' in patch || 'lat' in patch) Object.assign(patch, { lon: body.lon, lat: body.lat });
    if (await run(FIELDS, () => api.patch(`/api/v1/key-persons/${person.id}`, patch))) onDone();
  }

  const hint = (label: string, shown: string | null | undefined) => (masked && shown ? `${label}（现为 ${shown}，留空不改）` : label);
  return (
    <form className={styles.form} onSubmit={submit} aria-label={person ? `编辑重点人员 ${person.name}` : '登记重点人员'}>
      <h3>{person ? `编辑重点人员：${person.name}` : '登记重点人员'}</h3>
      <Field label={hint('姓名', person?.name)} error={errors.fields.name}>
        <input className={styles.input} name="name" value={name} aria-invalid={!!errors.fields.name} onChange={(e) => setName(e.target.value)} required={!masked} />
      </Field>
      <Field label={hint('身份证号', person?.idNumber)} error={errors.fields.idNumber}>
        <input className={styles.input} name="idNumber" value={idNumber} maxLength={18} aria-invalid={!!errors.fields.idNumber} onChange={(e) => setIdNumber(e.target.value)} />
      </Field>
      <Field label={hint('电话', person?.phone)} error={errors.fields.phone}>
        <input className={styles.input} name="phone" type="tel" value={phone} aria-invalid={!!errors.fields.phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field label="类别" error={errors.fields.category}>
        <select className={styles.select} name="category" value={category} onChange={(e) => setCategory(e.target.value as KeyPersonCategory)}>
          {Object.entries(KEY_PERSON_CATEGORIES).map(([k, c]) => <option key={k} value={k}>{c.label}（每月 {c.visitsPerMonth} 次）</option>)}
        </select>
      </Field>
      <Field label="每月走访次数（空则取类别默认）" error={errors.fields.visitsPerMonth}>
        <input className={`${styles.input} ${styles.days}`} name="visitsPerMonth" inputMode="numeric" value={visits} aria-invalid={!!errors.fields.visitsPerMonth} onChange={(e) => setVisits(e.target.value)} />
      </Field>
      <Field label="住址" error={errors.fields.address}>
        <input className={styles.input} name="address" value={address} aria-invalid={!!errors.fields.address} onChange={(e) => setAddress(e.target.value)} required />
      </Field>
      <Field label="经度（WGS-84）" error={errors.fields.lon}>
        <input className={styles.input} name="lon" inputMode="decimal" value={lon} aria-invalid={!!errors.fields.lon} onChange={(e) => setLon(e.target.value)} placeholder="120.35" required />
      </Field>
      <Field label="纬度（WGS-84）" error={errors.fields.lat}>
        <input className={styles.input} name="lat" inputMode="decimal" value={lat} aria-invalid={!!errors.fields.lat} onChange={(e) => setLat(e.target.value)} placeholder="30.87" required />
      </Field>
      <Field label={masked ? '备注（对您不显示，留空不改）' : '备注'} error={errors.fields.note}>
        <input className={styles.input} name="note" value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <FormActions busy={busy} label="保存" busyLabel="保存中…" onCancel={onCancel} errors={errors} />
    </form>
  );
}
