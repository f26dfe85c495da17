import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can, homeOf } from './roles';

describe('roles and permissions (S7)', () => {
  it('only the station chief and the executive deputy chief hold command (S7, S11)', () => {
    expect(ROLES.filter((r) => can(r, 'command'))).toEqual(['station_chief', 'deputy_chief']);
  });

  it('the wall display and volunteers cannot edit base data', () => {
    expect(can('display', 'editPlaces')).toBe(false);
    expect(can('volunteer', 'editPlaces')).toBe(false);
    expect(can('gridder_full', 'editPlaces')).toBe(true);
  });

  it('the display screen holds no permission at all', () => {
    for (const p of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) expect(can('display', p)).toBe(false);
  });

  it('sends each role to its own page', () => {
    expect(homeOf('display')).toBe('/wall');
    expect(homeOf('deputy_chief')).toBe('/console');
    expect(homeOf('gridder_full')).toBe('/field');
  });
});
