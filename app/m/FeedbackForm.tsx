'use client';

import { useState, type FormEvent } from 'react';
import { ContactFields, contactBody, Field, NO_CONTACT, SubmitBar } from './Fields';
import PlaceField, { NO_PLACE, placeBody } from './PlaceField';
import Receipt from './Receipt';
import { useServices } from './useServices';
import { useSubmit } from './useSubmit';
import s from './m.module.css';

/**
 * 投诉建议 (S14). A complaint may name the tracking code of an earlier request whose handling it is
 * about: that request's supervision reopens.
 */
export default function FeedbackForm() {
  const { services } = useServices();
  const submit = useSubmit('feedback');
  const [kind, setKind] = useState<'complaint' | 'suggestion'>('complaint');
  const [about, setAbout] = useState('');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState(NO_PLACE);
  const [contact, setContact] = useState(NO_CONTACT);

  if (submit.receipt) return <Receipt receipt={submit.receipt} onAnother={() => { submit.reset(); setDescription(''); setAbout(''); }} />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void submit.send(
      { kind, description, ...(kind === 'complaint' && about.trim() ? { about: about.trim() } : {}), ...placeBody(place), ...contactBody(contact) },
      description,
    );
  }

  const f = submit.fields;
  return (
    <form className={s.card} onSubmit={onSubmit} noValidate>
      <div className={s.choice} role="group" aria-label="类型" data-testid="m-feedback-kind">
        <button type="button" className={s.btn} aria-pressed={kind === 'complaint'} onClick={() => setKind('complaint')}>投诉</button>
        <button type="button" className={s.btn} aria-pressed={kind === 'suggestion'} onClick={() => setKind('suggestion')}>建议</button>
      </div>
      {kind === 'complaint' && (
        <Field label="针对哪一件诉求（可不填）" name="about" error={f.about} hint="对之前诉求的办理不满意，请填写它的查询码">
          <input className={s.input} value={about} maxLength={20} autoCapitalize="characters" placeholder="如 7K3M9-QX2HD" onChange={(e) => setAbout(e.target.value)} data-testid="m-about" />
        </Field>
      )}
      <Field label={kind === 'complaint' ? '投诉内容' : '建议内容'} name="description" required error={f.description}>
        <textarea className={s.textarea} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} data-testid="m-description" />
      </Field>
      <PlaceField value={place} onChange={setPlace} towns={services?.towns} error={f.location ?? f.address ?? f.villageCode} />
      <ContactFields value={contact} onChange={setContact} fields={f} />
      <SubmitBar sending={submit.sending} retrying={submit.retrying} general={submit.general} />
    </form>
  );
}
