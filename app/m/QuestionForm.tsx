'use client';

import { useState, type FormEvent } from 'react';
import { ContactFields, contactBody, Field, NO_CONTACT, SubmitBar } from './Fields';
import PlaceField, { NO_PLACE, placeBody } from './PlaceField';
import Receipt from './Receipt';
import { useServices } from './useServices';
import { useSubmit } from './useSubmit';
import s from './m.module.css';

/** 政策咨询: a question, answered within a working day on the tracking page. The village says which station answers. */
export default function QuestionForm() {
  const { services } = useServices();
  const submit = useSubmit('question');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState(NO_PLACE);
  const [contact, setContact] = useState(NO_CONTACT);

  if (submit.receipt) return <Receipt receipt={submit.receipt} onAnother={() => { submit.reset(); setDescription(''); }} />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void submit.send({ kind: 'question', description, ...placeBody(place), ...contactBody(contact) }, description);
  }

  const f = submit.fields;
  return (
    <form className={s.card} onSubmit={onSubmit} noValidate>
      <Field label="您的问题" name="description" required error={f.description} hint="工作站一般在一个工作日内答复，答复可凭查询码查看">
        <textarea className={s.textarea} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} placeholder="如：新农合今年的缴费标准和截止时间？" data-testid="m-description" />
      </Field>
      <PlaceField value={place} onChange={setPlace} towns={services?.towns} error={f.location ?? f.address ?? f.villageCode} />
      <ContactFields value={contact} onChange={setContact} fields={f} />
      <SubmitBar sending={submit.sending} retrying={submit.retrying} general={submit.general} label="提交咨询" />
    </form>
  );
}
