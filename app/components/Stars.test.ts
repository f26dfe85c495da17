import { describe, expect, it } from 'vitest';
import { starText } from './Stars';

describe('star text (S14 星级联动站)', () => {
  it('draws filled then hollow stars out of five, clamped', () => {
    expect(starText(3)).toBe('★★★☆☆');
    expect(starText(0)).toBe('☆☆☆☆☆');
    expect(starText(5)).toBe('★★★★★');
    expect(starText(7)).toBe('★★★★★');
    expect(starText(-1)).toBe('☆☆☆☆☆');
  });
});
