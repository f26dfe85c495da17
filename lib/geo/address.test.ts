import { describe, expect, it } from 'vitest';
import { matchVillage, type VillageName } from './address';

const V: VillageName[] = [
  { code: '1', name: '息塘村', townName: '南浔镇' },
  { code: '2', name: '新丰新村', townName: '双林镇' },
  { code: '3', name: '新村', townName: '练市镇' },
  { code: '4', name: '民主村', townName: '菱湖镇' },
  { code: '5', name: '民主村', townName: '千金镇' },
];

describe('placing an address at its village', () => {
  it('finds the village named in the address', () => {
    expect(matchVillage('南浔镇息塘村3组12号', V)).toEqual({ ok: true, code: '1' });
  });

  it('prefers the longer name that contains a shorter one', () => {
    expect(matchVillage('双林镇新丰新村村委会旁', V)).toEqual({ ok: true, code: '2' });
  });

  it('settles a name two towns share by the town, and refuses to guess without it', () => {
    expect(matchVillage('千金镇民主村文化礼堂', V)).toEqual({ ok: true, code: '5' });
    expect(matchVillage('民主村文化礼堂', V)).toMatchObject({ ok: false, reason: 'ambiguous', candidates: ['4', '5'] });
  });

  it('says so when no village is named', () => {
    expect(matchVillage('人民路88号', V)).toMatchObject({ ok: false, reason: 'none' });
  });
});
