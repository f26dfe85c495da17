import { describe, expect, it } from 'vitest';
import { ROLES } from '../roles';
import { maskIdNumber, maskName, maskPhone, seesKeyPersonInClear, shownTo, type MaskViewer } from './mask';

const person = { gridCode: 'G1', stationId: 1, name: '张三', idNumber: '330503199001011234', phone: '13812345678', note: '病情稳定' };
const viewer = (role: MaskViewer['role'], stationId: number | null = 1, grids: string[] = []): MaskViewer => ({ role, stationId, grids });

describe('key persons are masked for all but their gridders and leaders (issue 12)', () => {
  it('masks name, ID number and phone as the district writes them', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳建国')).toBe('欧*');
    expect(maskName('李')).toBe('*');
    expect(maskIdNumber('330503199001011234')).toBe('330503********1234');
    expect(maskIdNumber('33050319900101123X')).toBe('330503********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0572-2123456')).toBe('057*****3456');
  });

  it('shows the person in clear to the grid staff of that grid, not of another grid or station', () => {
    for (const role of ['grid_leader', 'grid_instructor', 'gridder_full', 'gridder_part', 'grid_police'] as const) {
      expect(seesKeyPersonInClear(viewer(role, 1, ['G1']), person), role).toBe(true);
      expect(seesKeyPersonInClear(viewer(role, 1, ['G2']), person), role).toBe(false);
      expect(seesKeyPersonInClear(viewer(role, 2, ['G1']), person), role).toBe(false);
    }
  });

  it('shows the person in clear to the leaders of its station and to district leaders', () => {
    expect(seesKeyPersonInClear(viewer('station_chief'), person)).toBe(true);
    expect(seesKeyPersonInClear(viewer('deputy_chief'), person)).toBe(true);
    expect(seesKeyPersonInClear(viewer('station_chief', 2), person)).toBe(false);
    expect(seesKeyPersonInClear(viewer('deputy_chief', null), person)).toBe(false);
    expect(seesKeyPersonInClear(viewer('district_leader', null), person)).toBe(true);
  });

  it('masks for every other role, whatever grids their person is placed in', () => {
    const clear = new Set(['district_leader', 'station_chief', 'deputy_chief', 'grid_leader', 'grid_instructor', 'gridder_full', 'gridder_part', 'grid_police']);
    for (const role of ROLES.filter((r) => !clear.has(r))) expect(seesKeyPersonInClear(viewer(role, 1, ['G1']), person), role).toBe(false);
  });

  it('masks a person of no station for station roles', () => {
    expect(seesKeyPersonInClear(viewer('gridder_full', 1, ['G1']), { ...person, stationId: null })).toBe(false);
    expect(seesKeyPersonInClear(viewer('station_chief', 1), { ...person, stationId: null })).toBe(false);
  });

  it('withholds the note and says it masked; leaves the rest as it was', () => {
    expect(shownTo(viewer('admin', null), person)).toEqual({ ...person, name: '张*', idNumber: '330503********1234', phone: '138****5678', note: null, masked: true });
    expect(shownTo(viewer('admin', null), { ...person, idNumber: null, phone: null }).idNumber).toBeNull();
    expect(shownTo(viewer('gridder_full', 1, ['G1']), person)).toEqual({ ...person, masked: false });
  });
});
