'use client';

import { useState, type FormEvent } from 'react';
import { DISPUTE_KIND_LABEL, type DisputeKind } from '@/lib/contracts/citizen';
import { ContactFields, contactBody, Field, NO_CONTACT, SubmitBar } from './Fields';
import PlaceField, { NO_PLACE, placeBody } from './PlaceField';
import Receipt from './Receipt';
import { useServices } from './useServices';
import { useSubmit } from './useSubmit';
import s from './m.module.css';

const KINDS = Object.entries(DISPUTE_KIND_LABEL) as [DisputeKind, string][];

/** 申请调解 (S8): the kind of dispute, the other party, when suits, what happened and where. */
export default function MediationForm() {
  const { services } = useServices();
  const submit = useSubmit('mediation');
  const [disputeKind, setDisputeKind] = useState<DisputeKind | ''>('');
  const [other, setOther] = useState({ name: '', phone: '', address: '' });
  const [preferredTime, setPreferredTime] = useState('');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState(NO_PLACE);
  const [contact, setContact] = useState(NO_CONTACT);

  if (submit.receipt) return <Receipt receipt={submit.receipt} onAnother={() => { submit.reset(); setDescription(''); }} />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const otherParty = {
      name: other.name.trim(),
      ...(other.phone.trim() ? { phone: other.phone.trim() } : {}),
      ...(other.address.trim() ? { address: other.address.trim() } : {}),
    };
    void submit.send(
      { kind: 'mediation', disputeKind, otherParty, description, ...(preferredTime.trim() ? { preferredTime: preferredTime.trim() } : {}), ...placeBody(place), ...contactBody(contact) },
      description,
    );
  }

  const f = submit.fields;
  return (
    <form className={s.card} onSubmit={onSubmit} noValidate>
      <fieldset className={s.field} style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className={`${s.label} ${s.required}`}>纠纷类型</legend>
        <div className={s.choice} data-testid="m-dispute-kind">
          {KINDS.map(([code, label]) => (
            <button key={code} type="button" className={s.btn} aria-pressed={disputeKind === code} onClick={() => setDisputeKind(code)}>
              {label}
            </button>
          ))}
        </div>
        {f.disputeKind && <p className={s.fieldError} data-testid="m-error-disputeKind">{disputeKind ? f.disputeKind : '请选择纠纷类型'}</p>}
      </fieldset>
      <Field label="对方姓名或称呼" name="otherParty.name" required error={f['otherParty.name'] ?? f.otherParty}>
        <input className={s.input} value={other.name} maxLength={50} onChange={(e) => setOther({ ...other, name: e.target.value })} data-testid="m-other-name" />
      </Field>
      <Field label="对方电话（可不填）" name="otherParty.phone" error={f['otherParty.phone']}>
        <input className={s.input} value={other.phone} inputMode="tel" maxLength={20} onChange={(e) => setOther({ ...other, phone: e.target.value })} data-testid="m-other-phone" />
      </Field>
      <Field label="对方住址（可不填）" name="otherParty.address" error={f['otherParty.address']}>
        <input className={s.input} value={other.address} maxLength={300} onChange={(e) => setOther({ ...other, address: e.target.value })} />
      </Field>
      <Field label="希望调解的时间（可不填）" name="preferredTime" error={f.preferredTime} hint="如：工作日晚上、周六上午">
        <input className={s.input} value={preferredTime} maxLength={100} onChange={(e) => setPreferredTime(e.target.value)} data-testid="m-preferred-time" />
      </Field>
      <Field label="纠纷经过" name="description" required error={f.description}>
        <textarea className={s.textarea} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} placeholder="请说明纠纷的起因、经过和您的诉求" data-testid="m-description" />
      </Field>
      <PlaceField value={place} onChange={setPlace} towns={services?.towns} error={f.location ?? f.address ?? f.villageCode} />
      <ContactFields value={contact} onChange={setContact} fields={f} />
      <SubmitBar sending={submit.sending} retrying={submit.retrying} general={submit.general} label="提交调解申请" />
    </form>
  );
}
