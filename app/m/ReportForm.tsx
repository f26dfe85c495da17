'use client';

import { useState, type FormEvent } from 'react';
import { fieldError } from './api';
import { ContactFields, contactBody, Field, NO_CONTACT, SubmitBar } from './Fields';
import PhotoField, { photosReady, type Photo } from './PhotoField';
import PlaceField, { NO_PLACE, placeBody } from './PlaceField';
import Receipt from './Receipt';
import { useServices } from './useServices';
import { useSubmit } from './useSubmit';
import s from './m.module.css';

/** 我要反映问题: category, words, up to three photos, where, and optionally who to call back. */
export default function ReportForm() {
  const { services, failed } = useServices();
  const submit = useSubmit('report');
  const [category, setCategory] = useState('');
  const [subcategory, setSubcategory] = useState('');
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [place, setPlace] = useState(NO_PLACE);
  const [contact, setContact] = useState(NO_CONTACT);
  const [waiting, setWaiting] = useState<string | null>(null);
  const subs = services?.categories.find((c) => c.code === category)?.subcategories ?? [];

  if (submit.receipt) {
    return <Receipt receipt={submit.receipt} onAnother={() => { submit.reset(); setDescription(''); setPhotos([]); setPlace(NO_PLACE); }} />;
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const ready = photosReady(photos);
    if ('problem' in ready) return setWaiting(ready.problem);
    setWaiting(null);
    void submit.send(
      { kind: 'report', category, ...(subcategory ? { subcategory } : {}), description, photos: ready.ids, ...placeBody(place), ...contactBody(contact) },
      description,
    );
  }

  const f = submit.fields;
  return (
    <form className={s.card} onSubmit={onSubmit} noValidate>
      <Field label="问题类别" name="category" required error={f.category ?? f.subcategory}>
        <select className={s.select} value={category} onChange={(e) => { setCategory(e.target.value); setSubcategory(''); }} data-testid="m-category">
          <option value="">{services ? '请选择' : failed ? '类别加载失败，请稍后重试' : '加载中…'}</option>
          {services?.categories.map((c) => (
            <option key={c.code} value={c.code}>{c.label}</option>
          ))}
        </select>
      </Field>
      {subs.length > 0 && (
        <Field label="具体类别（可不选）" name="subcategory">
          <select className={s.select} value={subcategory} onChange={(e) => setSubcategory(e.target.value)} data-testid="m-subcategory">
            <option value="">不确定</option>
            {subs.map((c) => (
              <option key={c.code} value={c.code}>{c.label}</option>
            ))}
          </select>
        </Field>
      )}
      <Field label="问题描述" name="description" required error={f.description}>
        <textarea className={s.textarea} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} placeholder="请说明发生了什么、持续多久、影响了谁" data-testid="m-description" />
      </Field>
      <PhotoField photos={photos} onChange={setPhotos} error={fieldError(f, 'photos') ?? waiting ?? undefined} />
      <PlaceField value={place} onChange={setPlace} towns={services?.towns} error={f.location ?? f.address ?? f.villageCode} />
      <ContactFields value={contact} onChange={setContact} fields={f} />
      <SubmitBar sending={submit.sending} retrying={submit.retrying} general={submit.general} />
    </form>
  );
}
