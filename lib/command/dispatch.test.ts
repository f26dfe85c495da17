import { describe, expect, it } from 'vitest';
import { decideStep, nextStepOf } from './dispatch';

const unit = { role: 'dept_staff' as const, isUnit: true };
const deputy = { role: 'deputy_chief' as const, isUnit: false };

describe('dispatch steps (S12)', () => {
  it('walks the unit from dispatched to cleared', () => {
    expect(decideStep('dispatched', 'acknowledge', unit)).toEqual({ ok: true, to: 'acknowledged' });
    expect(decideStep('acknowledged', 'depart', unit)).toEqual({ ok: true, to: 'en_route' });
    expect(decideStep('en_route', 'arrive', unit)).toEqual({ ok: true, to: 'on_scene' });
    expect(decideStep('on_scene', 'clear', unit)).toEqual({ ok: true, to: 'cleared' });
  });

  it('refuses progress by anyone but the unit, and cancelling by anyone but the leaders', () => {
    expect(decideStep('dispatched', 'acknowledge', deputy).ok).toBe(false);
    expect(decideStep('en_route', 'cancel', unit).ok).toBe(false);
    expect(decideStep('en_route', 'cancel', deputy)).toEqual({ ok: true, to: 'cancelled' });
  });

  it('refuses steps out of order and on finished dispatches', () => {
    expect(decideStep('dispatched', 'clear', unit).ok).toBe(false);
    expect(decideStep('cleared', 'cancel', deputy).ok).toBe(false);
    expect(decideStep('cancelled', 'acknowledge', unit).ok).toBe(false);
  });

  it('offers the next step as one button', () => {
    expect(nextStepOf('dispatched')).toBe('acknowledge');
    expect(nextStepOf('on_scene')).toBe('clear');
    expect(nextStepOf('cleared')).toBeNull();
  });
});
