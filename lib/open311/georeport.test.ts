import { describe, expect, it } from 'vitest';
import { deviceIdOf, listOf, maskPhonesIn, open311FieldOf, parseW3cDateTime, requestKeyOf, roundCoord, statusNotesOf, statusOf, windowOf } from './georeport';

describe('GeoReport v2 rules (issue 14, S14)', () => {
  it('maps our states onto open/closed with our state in words', () => {
    expect(statusOf('in_progress')).toBe('open');
    expect(statusOf('reported')).toBe('open');
    for (const s of ['closed', 'rated', 'returned', 'merged'] as const) expect(statusOf(s)).toBe('closed');
    expect(statusNotesOf('in_progress')).toBe('处置中 (in_progress)');
  });

  it('masks phone-like digits but not dates or short numbers', () => {
    expect(maskPhonesIn('请回电13812345678谢谢')).toBe('请回电138****5678谢谢');
    expect(maskPhonesIn('电话 138 1234 5678')).toBe('电话 138****5678');
    expect(maskPhonesIn('座机0572-3012345')).toBe('座机057****2345');
    expect(maskPhonesIn('分机 3012345')).toBe('分机 *******');
    expect(maskPhonesIn('身份证330503199001011234')).toBe('身份证330***********1234');
    expect(maskPhonesIn('2026-03-01 下午 3 点，5 号楼 302 室')).toBe('2026-03-01 下午 3 点，5 号楼 302 室');
  });

  it('reads W3C date-times with their zone only', () => {
    expect(parseW3cDateTime('2010-01-01T00:00:00Z')?.toISOString()).toBe('2010-01-01T00:00:00.000Z');
    expect(parseW3cDateTime('1994-11-05T08:15:30-05:00')?.toISOString()).toBe('1994-11-05T13:15:30.000Z');
    expect(parseW3cDateTime('2026-01-01T08:00+08:00')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    for (const bad of ['2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', 'yesterday', '2026-01-01T24:00:00Z']) expect(parseW3cDateTime(bad), bad).toBeNull();
  });

  it('defaults the window to 90 days and refuses a longer or reversed one', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const day = 86_400_000;
    expect(windowOf(null, null, now)).toEqual({ from: new Date(now.getTime() - 90 * day), to: now });
    const start = new Date('2026-01-01T00:00:00Z');
    expect(windowOf(start, null, now)).toEqual({ from: start, to: new Date(start.getTime() + 90 * day) });
    expect(windowOf(start, new Date(start.getTime() + 91 * day), now)).toHaveProperty('error');
    expect(windowOf(now, start, now)).toHaveProperty('error');
  });

  it('derives one key per client and form, whatever the order of fields or the api_key', () => {
    const a = requestKeyOf(1, [['service_code', 'x'], ['lat', '1'], ['api_key', 'k1']]);
    expect(a).toBe(requestKeyOf(1, [['lat', '1'], ['api_key', 'k2'], ['service_code', 'x']]));
    expect(a).not.toBe(requestKeyOf(2, [['lat', '1'], ['service_code', 'x']]));
    expect(a).not.toBe(requestKeyOf(1, [['lat', '2'], ['service_code', 'x']]));
    expect(a).toMatch(/^[\x21-\x7e]{8,128}$/);
    const d = deviceIdOf(1, { deviceId: 'tt222111' }, a);
    expect(d).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(d).toBe(deviceIdOf(1, { deviceId: 'tt222111', email: 'x@y' }, 'other'));
    expect(d).not.toBe(deviceIdOf(2, { deviceId: 'tt222111' }, a));
  });

  it('rounds, splits lists and names form fields', () => {
    expect(roundCoord(30.876543)).toBe(30.877);
    expect(listOf(['a, b', 'c', ''])).toEqual(['a', 'b', 'c']);
    expect(open311FieldOf('body.location.lat')).toBe('lat');
    expect(open311FieldOf('body.phone')).toBe('phone');
    expect(open311FieldOf('service_code')).toBe('service_code');
  });
});
