'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { HttpError } from '@/app/http';
import { formatCode, normalizeCode, RATING_LABEL, type CitizenTrackingV1, type RatingChoice } from '@/lib/contracts/citizen';
import { issuesByField, loadTracking, lookup, rate } from './api';
import { Field } from './Fields';
import PointsCard from './PointsCard';
import { mine } from './store';
import s from './m.module.css';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const NOT_FOUND = '未找到该诉求，请核对后重试';
const errorText = (e: unknown) => (e instanceof HttpError && e.status === 404 ? NOT_FOUND : e instanceof Error ? e.message : '查询失败');

/** The 查询密码 this phone holds for a code: kept with the receipt in 我的诉求. */
function pinOnPhone(code: string): string | null {
  if (typeof window === 'undefined') return null;
  const c = normalizeCode(code);
  return mine(window.localStorage).find((e) => normalizeCode(e.code) === c)?.pin ?? null;
}

/**
 * Rating once the request is closed (S14): 不满意 goes to the station's deputy chief. The server
 * takes it from the phone that sent the request or with its 查询密码 (review H3): the PIN this phone
 * knows is sent along; on another phone the resident types it.
 */
function Rate({ code, knownPin, onRated }: { code: string; knownPin: string | null; onRated: () => void }) {
  const [choice, setChoice] = useState<RatingChoice | null>(null);
  const [pin, setPin] = useState('');
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!choice) return setError('请选择满意程度');
    setSending(true);
    setError(null);
    try {
      await rate(code, choice, comment.trim() || undefined, knownPin ?? (/^\d{6}$/.test(pin.trim()) ? pin.trim() : null));
      onRated();
    } catch (err) {
      const { fields, general } = issuesByField(err);
      setError(fields.comment ?? fields.rating ?? fields.pin ?? general);
    } finally {
      setSending(false);
    }
  }

  return (
    <form className={s.card} onSubmit={send} data-testid="m-rate">
      <h2>请评价办理结果</h2>
      <div className={s.choice}>
        {(Object.entries(RATING_LABEL) as [RatingChoice, string][]).map(([c, label]) => (
          <button key={c} type="button" className={s.btn} aria-pressed={choice === c} onClick={() => setChoice(c)} data-testid={`m-rate-${c}`}>
            {label}
          </button>
        ))}
      </div>
      <Field label="意见（可不填）" name="comment">
        <textarea className={s.textarea} value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} data-testid="m-rate-comment" />
      </Field>
      {!knownPin && (
        <Field label="查询密码（6 位数字）" name="pin" hint="不是提交诉求的这部手机时，请填写提交时得到的查询密码">
          <input className={s.input} value={pin} inputMode="numeric" maxLength={6} onChange={(e) => setPin(e.target.value)} data-testid="m-rate-pin" />
        </Field>
      )}
      {error && <p className={s.error} role="alert">{error}</p>}
      <button type="submit" className={`${s.btn} ${s.primary}`} disabled={sending} data-testid="m-rate-submit">
        {sending ? '提交中…' : '提交评价'}
      </button>
    </form>
  );
}

/** One request as its resident sees it: where it stands in plain words, the steps, the answer, the rating. */
function Progress({ t, pin, reload }: { t: CitizenTrackingV1; pin: string | null; reload: () => void }) {
  const done = t.status === 'closed' || t.status === 'answered' || t.status === 'rated';
  return (
    <>
      <section className={s.card} data-testid="m-progress" data-status={t.status}>
        <p className={s.hint}>
          查询码 <span className={s.mono}>{formatCode(t.code)}</span> · {t.kindLabel} · {t.categoryLabel}
        </p>
        <p style={{ margin: 0 }}>
          <span className={`${s.status} ${done ? s.statusDone : ''}`} data-testid="m-status">{t.statusLabel}</span>
        </p>
        <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{t.description}</p>
        <p className={s.hint}>
          {t.placeLabel ? `${t.placeLabel} · ` : ''}提交于 {when(t.createdAt)}
          {t.phoneMasked ? ` · 联系电话 ${t.phoneMasked}` : ''}
        </p>
        {t.answer && (
          <div className={s.field}>
            <span className={s.label}>答复</span>
            <p className={s.answer} data-testid="m-answer">{t.answer}</p>
          </div>
        )}
      </section>
      <section className={s.card}>
        <h2>办理过程</h2>
        <ol className={s.steps} data-testid="m-steps">
          {t.steps.map((step, i) => (
            <li key={i}>
              <strong>{step.label}</strong>
              <time dateTime={step.at}>{when(step.at)}</time>
              {step.note && <span style={{ whiteSpace: 'pre-wrap' }}>{step.note}</span>}
            </li>
          ))}
        </ol>
      </section>
      {t.rating && (
        <section className={s.card} data-testid="m-rated">
          <h2>您的评价：{t.rating.label}</h2>
          {t.rating.comment && <p style={{ margin: 0 }}>{t.rating.comment}</p>}
          <p className={s.hint}>评价于 {when(t.rating.at)}，谢谢您的反馈。</p>
        </section>
      )}
      {t.points && <PointsCard points={t.points} />}
      {t.canRate && !t.rating && <Rate code={t.code} knownPin={pin ?? pinOnPhone(t.code)} onRated={reload} />}
    </>
  );
}

/**
 * /m/track and /m/track/<code>. A code opens one request; so do the phone number and the 6-digit
 * 查询密码 (sent as a POST: no phone number in a URL or a log). Only what the server returns for that
 * code is shown — never a list of anyone's requests.
 */
export default function TrackView({ initialCode }: { initialCode: string | null }) {
  const router = useRouter();
  const [code, setCode] = useState(initialCode ? formatCode(normalizeCode(initialCode)) : '');
  const [phone, setPhone] = useState('');
  const [pin, setPin] = useState('');
  const [tracking, setTracking] = useState<CitizenTrackingV1 | null>(null);
  const [loading, setLoading] = useState(Boolean(initialCode));
  const [error, setError] = useState<string | null>(null);
  const [byPhone, setByPhone] = useState(false);
  /** The PIN the resident typed to find this request: theirs, so it rates it too. */
  const [lookedUpWith, setLookedUpWith] = useState<string | null>(null);

  async function show(load: () => Promise<CitizenTrackingV1>) {
    setLoading(true);
    setError(null);
    try {
      setTracking(await load());
    } catch (e) {
      setTracking(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    if (!initialCode) return;
    let live = true;
    loadTracking(normalizeCode(initialCode))
      .then(
        (t) => {
          if (!live) return;
          setTracking(t);
          setError(null);
        },
        (e: unknown) => {
          if (live) setError(errorText(e));
        },
      )
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [initialCode]);

  function byCode(e: FormEvent) {
    e.preventDefault();
    const c = normalizeCode(code);
    setLookedUpWith(null);
    if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(c)) return setError('查询码为 10 位字母数字（如 7K3M9-QX2HD）');
    if (c !== (initialCode && normalizeCode(initialCode))) router.replace(`/m/track/${c}`);
    else void show(() => loadTracking(c));
  }

  function byPin(e: FormEvent) {
    e.preventDefault();
    setLookedUpWith(pin.trim());
    void show(() => lookup(phone.trim(), pin.trim()));
  }

  const reload = () => tracking && void show(() => loadTracking(tracking.code));

  return (
    <>
      {tracking ? (
        <Progress t={tracking} pin={lookedUpWith} reload={reload} />
      ) : byPhone ? (
        <form className={s.card} onSubmit={byPin}>
          <Field label="联系电话" name="phone" required>
            <input className={s.input} value={phone} inputMode="tel" maxLength={20} onChange={(e) => setPhone(e.target.value)} autoComplete="tel" data-testid="m-lookup-phone" />
          </Field>
          <Field label="查询密码（6 位数字）" name="pin" required>
            <input className={s.input} value={pin} inputMode="numeric" maxLength={6} onChange={(e) => setPin(e.target.value)} data-testid="m-lookup-pin" />
          </Field>
          <button type="submit" className={`${s.btn} ${s.primary}`} disabled={loading}>{loading ? '查询中…' : '查询'}</button>
          <button type="button" className={s.link} onClick={() => setByPhone(false)}>改用查询码查询</button>
        </form>
      ) : (
        <form className={s.card} onSubmit={byCode}>
          <Field label="查询码" name="code" required hint="提交后页面显示的 10 位码，如 7K3M9-QX2HD">
            <input className={s.input} value={code} maxLength={14} autoCapitalize="characters" autoComplete="off" onChange={(e) => setCode(e.target.value)} data-testid="m-track-code" />
          </Field>
          <button type="submit" className={`${s.btn} ${s.primary}`} disabled={loading} data-testid="m-track-submit">{loading ? '查询中…' : '查询'}</button>
          <button type="button" className={s.link} onClick={() => setByPhone(true)}>没有查询码？用电话和查询密码查询</button>
        </form>
      )}
      {error && <p className={s.error} role="alert" data-testid="m-track-error">{error}</p>}
      {tracking && (
        <button type="button" className={s.btn} onClick={() => { setTracking(null); router.replace('/m/track'); }}>
          查询其他诉求
        </button>
      )}
    </>
  );
}
