import { describe, expect, it } from 'vitest';
import type { Session } from '../auth/session';
import { pageRedirect } from './pages';

const as = (role: Session['role']) => ({ role } as Session);

describe('page gates', () => {
  it('lets a mediator print an agreement in the console but not open the rest of it (S4)', () => {
    expect(pageRedirect('/console/mediation/7/agreement', '', as('mediator'))).toBeNull();
    expect(pageRedirect('/console/mediation', '', as('mediator'))).toBeNull();
    expect(pageRedirect('/console', '', as('mediator'))).toBe('/field');
    expect(pageRedirect('/console/warnings', '', as('mediator'))).toBe('/field');
  });

  it('keeps the mediation pages from department staff, who have the rest of the console', () => {
    expect(pageRedirect('/console', '', as('dept_staff'))).toBeNull();
    expect(pageRedirect('/console/mediation', '', as('dept_staff'))).toBe('/field');
  });

  it('leaves the residents\' page public and sends a stranger to log in elsewhere', () => {
    expect(pageRedirect('/m', '', null)).toBeNull();
    expect(pageRedirect('/m/track/7K3M9QX2HD', '', null)).toBeNull();
    expect(pageRedirect('/console/mediation', '?a=1', null)).toBe('/login?next=%2Fconsole%2Fmediation%3Fa%3D1');
  });
});
