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

describe('考评 pages (issue 15, S13)', () => {
  it('opens to the district and the station leaders, not to department staff or the wall', () => {
    for (const role of ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'] as const) {
      expect(pageRedirect('/console/assessment', '', as(role))).toBeNull();
      expect(pageRedirect('/console/assessment/rules', '', as(role))).toBeNull();
    }
    expect(pageRedirect('/console/assessment', '', as('dept_staff'))).toBe('/field');
    expect(pageRedirect('/console/assessment/rules', '', as('display'))).toBe('/wall');
  });
});

describe('积分 page (issue 15, S14)', () => {
  it('opens to the station leaders and the district, not to grid staff, department staff or the wall', () => {
    for (const role of ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'] as const) expect(pageRedirect('/console/points', '', as(role))).toBeNull();
    expect(pageRedirect('/console/points', '', as('gridder_full'))).toBe('/field');
    expect(pageRedirect('/console/points', '', as('dept_staff'))).toBe('/field');
    expect(pageRedirect('/console/points', '', as('display'))).toBe('/wall');
  });
});

describe('考评报告 pages (issue 15 point 6)', () => {
  it('open to the district and the station leaders (generateReports), print page included; not to department staff', () => {
    for (const role of ['admin', 'district_leader', 'district_operator', 'station_chief', 'deputy_chief'] as const) {
      expect(pageRedirect('/console/reports', '', as(role))).toBeNull();
      expect(pageRedirect('/console/reports/print', '?period=2026-11', as(role))).toBeNull();
    }
    expect(pageRedirect('/console/reports', '', as('dept_staff'))).toBe('/field');
    expect(pageRedirect('/console/reports/print', '', as('gridder_full'))).toBe('/field');
  });
});
