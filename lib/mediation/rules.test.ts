import { describe, expect, it } from 'vitest';
import { caseNumber, closeIssues, dueAt, followupAtIssue, followupDueAt, maskParty, maskText, PUBLIC_NOTE, seesPartiesInClear, sessionAtIssue, shanghaiDate } from './rules';

const at = (local: string) => new Date(`${local}+08:00`);

describe('mediation rules (issue 14; S4, S8)', () => {
  it('the limit is days after opening; the follow-up a month after closing, Shanghai calendar, clamped to the month’s end', () => {
    expect(dueAt(at('2026-12-01T09:00:00'), 30).toISOString()).toBe(at('2026-12-31T09:00:00').toISOString());
    expect(followupDueAt(at('2026-12-08T14:00:00')).toISOString()).toBe(at('2027-01-08T14:00:00').toISOString());
    expect(followupDueAt(at('2027-01-31T10:00:00')).toISOString()).toBe(at('2027-02-28T10:00:00').toISOString());
    // 00:30 on 1 March in Shanghai is still 28 February in UTC: the Shanghai day counts.
    expect(followupDueAt(at('2027-03-01T00:30:00')).toISOString()).toBe(at('2027-04-01T00:30:00').toISOString());
  });

  it('an agreement needs its terms; a referral where it went; a failure nothing', () => {
    expect(closeIssues({ outcome: 'success' })).toEqual([{ path: 'body.agreement.terms', message: expect.any(String) }]);
    expect(closeIssues({ outcome: 'success', agreement: { terms: '  ' } })).toHaveLength(1);
    expect(closeIssues({ outcome: 'success', agreement: { terms: '赔偿 2000 元' } })).toEqual([]);
    expect(closeIssues({ outcome: 'referred' })).toEqual([{ path: 'body.referredTo', message: expect.any(String) }]);
    expect(closeIssues({ outcome: 'failed' })).toEqual([]);
  });

  it('parties in clear for the case’s mediator and the station’s leaders only', () => {
    const c = { stationId: 1, mediatorPersonId: 7 };
    expect(seesPartiesInClear({ role: 'deputy_chief', stationId: 1, personId: null }, c)).toBe(true);
    expect(seesPartiesInClear({ role: 'station_chief', stationId: 2, personId: null }, c)).toBe(false);
    expect(seesPartiesInClear({ role: 'mediator', stationId: 1, personId: 7 }, c)).toBe(true);
    expect(seesPartiesInClear({ role: 'mediator', stationId: 1, personId: 8 }, c)).toBe(false);
    expect(seesPartiesInClear({ role: 'district_leader', stationId: null, personId: null }, c)).toBe(false);
    expect(maskParty({ name: '王大明', side: 'applicant', phone: '13800001111', address: '某村' })).toEqual({ name: '王*', side: 'applicant', phone: '138****1111', address: '（已隐去）' });
  });

  it('public notes are plain words with a time and place in Shanghai, no one’s name', () => {
    const now = at('2026-12-06T10:00:00');
    expect(PUBLIC_NOTE.session(at('2026-12-08T14:00:00'), '南浔镇调解工作室', now)).toBe('已安排调解：12月8日 14:00，南浔镇调解工作室');
    expect(PUBLIC_NOTE.session(at('2026-12-05T09:30:00'), '村委会', now)).toBe('已进行调解：12月5日 09:30，村委会');
    expect(PUBLIC_NOTE.closed('success')).toBe('调解结束：达成协议');
    expect(caseNumber(12, at('2027-01-01T00:10:00'))).toBe('调〔2027〕12号');
    expect(shanghaiDate(at('2027-01-01T00:10:00'))).toBe('2027年1月1日');
  });

  it('the summary read with parties masked: names, given names, phones (full-width too) and ID numbers masked, the rest as written (review M5)', () => {
    const parties = [
      { name: '王大明', side: 'applicant' as const, phone: '13800001111', idNumber: '330503199001011234' },
      { name: '赵小红', side: 'respondent' as const },
    ];
    const text = '王大明（身份证330503199001011234，电话13800001111）称赵小红堵了排水沟；大明另留电话１３９ ０００２ ２２２２。';
    const out = maskText(text, parties);
    expect(out).toBe('王*（身份证330503********1234，电话138****1111）称赵*堵了排水沟；*另留电话139****2222。');
    for (const clear of ['王大明', '赵小红', '大明', '13800001111', '1990010112']) expect(out).not.toContain(clear);
    expect(maskText('两户因排水沟起争执', parties)).toBe('两户因排水沟起争执');
  });

  it('a session within a year either side; a follow-up after the close and not in the future (review L2)', () => {
    const opened = at('2026-12-01T09:00:00');
    const now = at('2026-12-06T10:00:00');
    expect(sessionAtIssue(at('2026-11-30T09:00:00'), opened, now)).toBeNull();
    expect(sessionAtIssue(new Date('0000-01-01T00:00:00Z'), opened, now)).toMatchObject({ path: 'body.at' });
    expect(sessionAtIssue(at('2028-01-01T00:00:00'), opened, now)).toMatchObject({ path: 'body.at' });
    const closed = at('2026-12-05T10:00:00');
    expect(followupAtIssue(at('2026-12-06T09:00:00'), closed, now)).toBeNull();
    expect(followupAtIssue(at('2026-12-06T10:04:00'), closed, now)).toBeNull();
    expect(followupAtIssue(at('2000-01-01T00:00:00'), closed, now)).toMatchObject({ path: 'body.at' });
    expect(followupAtIssue(at('2026-12-06T10:10:00'), closed, now)).toMatchObject({ path: 'body.at' });
  });

  it('the answer that ends a resident’s 调解申请 says the outcome and nothing else (review L4)', () => {
    expect(PUBLIC_NOTE.answered('success')).toMatch(/^调解结束：达成协议/);
    expect(PUBLIC_NOTE.answered('failed')).toMatch(/^调解结束：未达成协议/);
    expect(PUBLIC_NOTE.answered('referred')).toMatch(/^调解结束：已转诉讼或其他机关/);
  });
});
