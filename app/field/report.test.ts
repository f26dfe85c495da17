import { describe, expect, it } from 'vitest';
import { deadlineStatus, formatSpan } from './format';
import { buildReport, checkReport, EMPTY_DRAFT, fieldErrors, fieldOf } from './report';

describe('buildReport', () => {
  it('sends the position when there is one, else the village', () => {
    const base = { ...EMPTY_DRAFT, category: 'hazard', title: ' 消防通道被占 ' };
    expect(buildReport({ ...base, location: { lon: 120.4, lat: 30.87, accuracy: 12 }, villageCode: '330503001005' }, 'key-12345')).toEqual({
      v: 1, idempotencyKey: 'key-12345', category: 'hazard', title: '消防通道被占', location: { lon: 120.4, lat: 30.87 },
    });
    expect(buildReport({ ...base, villageCode: '330503001005', subcategory: 'hazard.fire' }, 'key-12345')).toMatchObject({
      villageCode: '330503001005', subcategory: 'hazard.fire',
    });
  });

  it('passes the shared contract once category, title and place are given', () => {
    const body = buildReport({ ...EMPTY_DRAFT, category: 'hazard', title: '井盖缺失', villageCode: '330503001005' }, 'key-12345');
    expect(checkReport(body)).toEqual([]);
  });
});

describe('checkReport and fieldErrors', () => {
  it('names the boxes to fill, in words a gridder reads', () => {
    const errors = fieldErrors(checkReport(buildReport(EMPTY_DRAFT, 'key-12345')));
    expect(errors.category).toBe('请选择事件类别');
    expect(errors.title).toBe('标题不能为空');
    expect(errors.location).toBe('请定位，或选择所在村社');
  });

  it('maps the server issue paths to the form fields', () => {
    expect(fieldOf('body.title')).toBe('title');
    expect(fieldOf('body.villageCode')).toBe('location');
    expect(fieldOf('body.location.lat')).toBe('location');
    expect(fieldOf('body.photos.0')).toBe('photos');
    expect(fieldOf('body.idempotencyKey')).toBe('form');
    expect(fieldErrors([{ path: 'body.title', message: 'a' }, { path: 'body.title', message: 'b' }])).toEqual({ title: 'a' });
  });
});

describe('deadlines', () => {
  const now = Date.parse('2026-11-27T08:00:00.000Z');
  it('reads as time left, worried under a day, and as time over', () => {
    expect(deadlineStatus('2026-11-29T11:00:00.000Z', now)).toEqual({ text: '剩 2天3小时', tone: 'ok' });
    expect(deadlineStatus('2026-11-27T13:30:00.000Z', now)).toEqual({ text: '剩 5小时30分', tone: 'soon' });
    expect(deadlineStatus('2026-11-27T06:00:00.000Z', now)).toEqual({ text: '已超时 2小时', tone: 'over' });
    expect(deadlineStatus(null, now)).toBeNull();
  });

  it('never says zero minutes', () => {
    expect(formatSpan(10_000)).toBe('1分钟');
    expect(formatSpan(86_400_000)).toBe('1天');
  });
});
