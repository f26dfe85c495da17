import { describe, expect, it } from 'vitest';
import { MAX_SHEET_NAME, sheetName } from './sheet-name';

describe('sheetName (issue 15 point 6: one sheet per station)', () => {
  it('replaces what Excel refuses in a name', () => {
    expect(sheetName('练市[镇]:联动/站?*\\', new Set())).toBe('练市_镇__联动_站___');
  });

  it('cuts to 31 characters without splitting a character', () => {
    const long = '南浔区'.repeat(20) + '𠀀';
    const name = sheetName(long, new Set());
    expect([...name].length).toBe(MAX_SHEET_NAME);
    expect(name.length).toBeLessThanOrEqual(MAX_SHEET_NAME);
  });

  it('numbers a clash, case-insensitively, and keeps within the limit', () => {
    const taken = new Set<string>();
    expect(sheetName('汇总', taken)).toBe('汇总');
    expect(sheetName('汇总', taken)).toBe('汇总(2)');
    expect(sheetName('Station', taken)).toBe('Station');
    expect(sheetName('STATION', taken)).toBe('STATION(2)');
    const long = 'x'.repeat(40);
    sheetName(long, taken);
    const second = sheetName(long, taken);
    expect(second).toBe(`${'x'.repeat(28)}(2)`);
  });

  it('avoids the reserved name, apostrophes at the ends and an empty name', () => {
    expect(sheetName('History', new Set())).toBe('History_');
    expect(sheetName("'站'", new Set())).toBe('站');
    expect(sheetName('  ', new Set())).toBe('工作表');
  });
});
