import { describe, expect, it } from 'vitest';
import { actionsFor, inScope, type ScopeFacts, type Viewer } from './scope';

const event = (over: Partial<ScopeFacts> = {}): ScopeFacts => ({
  state: 'assigned', stationId: 1, department: 'police', taskDepartments: [], reportedByCitizen: false, ...over,
});
const v = (role: Viewer['role'], over: Partial<Viewer> = {}): Viewer => ({ role, stationId: 1, department: null, ...over });

describe('who acts on which event (S7, S12)', () => {
  it('department staff act on what was routed to their department, or a sub-task of it', () => {
    expect(inScope(v('dept_staff', { department: 'police' }), event())).toBe(true);
    expect(inScope(v('dept_staff', { department: 'market' }), event())).toBe(false);
    expect(inScope(v('dept_staff', { department: 'market' }), event({ state: 'coordinated', department: null, taskDepartments: ['market'] }))).toBe(true);
    expect(inScope(v('dept_staff', { department: null }), event({ department: null }))).toBe(false);
  });

  it('leaders act in their own station only; an event placed in no station is no station leader’s (issue 10)', () => {
    expect(inScope(v('deputy_chief'), event())).toBe(true);
    expect(inScope(v('deputy_chief', { stationId: 2 }), event())).toBe(false);
    expect(inScope(v('station_chief', { stationId: 2 }), event({ stationId: null }))).toBe(false);
    expect(inScope(v('station_chief', { stationId: null }), event({ stationId: null }))).toBe(false);
  });

  it('department staff act only in the station they are stationed at (S5)', () => {
    expect(inScope(v('dept_staff', { department: 'police', stationId: 2 }), event())).toBe(false);
    expect(inScope(v('dept_staff', { department: 'police', stationId: null }), event())).toBe(false);
  });

  it('district roles and volunteers see but never step a station’s event', () => {
    for (const role of ['admin', 'district_leader', 'district_operator', 'volunteer', 'grid_info', 'display'] as const)
      expect(inScope(v(role, { stationId: 1 }), event()), role).toBe(false);
  });

  it('grid staff act in their own station only', () => {
    expect(inScope(v('gridder_full'), event({ state: 'handled' }))).toBe(true);
    expect(inScope(v('gridder_full', { stationId: 2 }), event({ state: 'handled' }))).toBe(false);
    expect(inScope(v('gridder_full', { stationId: null }), event({ stationId: null }))).toBe(false);
  });

  it('the buttons are the machine’s allowed actions within scope', () => {
    expect(actionsFor(v('dept_staff', { department: 'police' }), event())).toEqual(['start']);
    expect(actionsFor(v('dept_staff', { department: 'market' }), event())).toEqual([]);
    expect(actionsFor(v('deputy_chief'), event({ state: 'reported' }))).toEqual(['accept', 'return', 'merge']);
    expect(actionsFor(v('gridder_full'), event({ state: 'handled' }))).toEqual(['verify_pass', 'verify_fail']);
  });
});
