import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles';
import { eventRooms, maySeeEvent, maySeeStation, reachOf, roomsOf, type EventFacts, type Viewer } from './scope';

const v = (role: Role, stationId: number | null = 1, department: string | null = null): Viewer => ({ role, stationId, department });
const event = (over: Partial<EventFacts> = {}): EventFacts => ({ stationId: 1, department: null, taskDepartments: [], reportedBy: 99, ...over });

describe('the one scope rule (issue 10; S5–S7)', () => {
  it('gives the district only to district roles and district walls, never to a missing station', () => {
    for (const role of ['admin', 'district_leader', 'district_operator'] as const) expect(reachOf(v(role, null))).toEqual({ kind: 'district' });
    expect(reachOf(v('display', null))).toEqual({ kind: 'district' });
    expect(reachOf(v('display', 4))).toEqual({ kind: 'station', stationId: 4 });
    for (const role of ['station_chief', 'deputy_chief', 'gridder_full', 'mediator', 'village_cadre', 'dept_staff'] as const)
      expect(reachOf(v(role, null, 'police')), role).toEqual({ kind: 'none' });
  });

  it('department staff reach what was routed to their department at their station (S5, S12)', () => {
    const r = reachOf(v('dept_staff', 1, 'police'));
    expect(r).toEqual({ kind: 'department', stationId: 1, department: 'police' });
    expect(maySeeEvent(r, 5, event({ department: 'police' }))).toBe(true);
    expect(maySeeEvent(r, 5, event({ taskDepartments: ['police'] }))).toBe(true);
    expect(maySeeEvent(r, 5, event({ department: 'market' }))).toBe(false);
    expect(maySeeEvent(r, 5, event({ department: 'police', stationId: 2 }))).toBe(false);
    expect(reachOf(v('dept_staff', 1, null))).toEqual({ kind: 'none' });
  });

  it('volunteers and information volunteers see only what they reported', () => {
    for (const role of ['volunteer', 'grid_info'] as const) {
      const r = reachOf(v(role));
      expect(r).toEqual({ kind: 'own' });
      expect(maySeeEvent(r, 7, event())).toBe(false);
      expect(maySeeEvent(r, 7, event({ reportedBy: 7 }))).toBe(true);
      expect(maySeeStation(r, 1)).toBe(false);
      expect(roomsOf(r)).toEqual([]);
    }
  });

  it('station staff see their station, not another; an unplaced event is the district’s', () => {
    const r = reachOf(v('gridder_full', 1));
    expect(maySeeEvent(r, 5, event())).toBe(true);
    expect(maySeeEvent(r, 5, event({ stationId: 2 }))).toBe(false);
    expect(maySeeEvent(r, 5, event({ stationId: null }))).toBe(false);
    expect(maySeeEvent({ kind: 'district' }, 0, event({ stationId: null }))).toBe(true);
    expect(maySeeStation(r, 1)).toBe(true);
    expect(maySeeStation(r, 2)).toBe(false);
    expect(maySeeStation(r, null)).toBe(false);
  });

  it('a display (uid 0) is never taken for the reporter of a system-reported event', () => {
    expect(maySeeEvent({ kind: 'own' }, 0, event({ reportedBy: null }))).toBe(false);
  });

  it('pushes reach exactly the rooms of those who may see them', () => {
    const e = event({ department: 'police', taskDepartments: ['market'] });
    const rooms = eventRooms(e);
    for (const role of ROLES) {
      for (const dep of [null, 'police', 'market', 'fire']) {
        for (const station of [null, 1, 2]) {
          const reach = reachOf(v(role, station, dep));
          const hears = roomsOf(reach).some((r) => rooms.includes(r));
          // The reporter's own copy comes by HTTP; rooms carry what the reach may see.
          expect(hears, `${role}/${station}/${dep}`).toBe(maySeeEvent(reach, 0, e));
        }
      }
    }
  });
});
