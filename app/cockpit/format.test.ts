import { describe, expect, it } from 'vitest';
import { changeOf, formatValue } from './format';

describe('formatValue', () => {
  it('shows shares as %, hours with one decimal, counts whole, nothing as —', () => {
    expect(formatValue(0.8765, 'ratio')).toBe('87.7%');
    expect(formatValue(1, 'ratio')).toBe('100.0%');
    expect(formatValue(3.14159, 'hours')).toBe('3.1');
    expect(formatValue(12345, 'count')).toBe('12,345');
    expect(formatValue(null, 'ratio')).toBe('—');
    expect(formatValue(Number.NaN, 'hours')).toBe('—');
  });
});

describe('changeOf', () => {
  it('colours a rise good when more is better, bad when less is', () => {
    expect(changeOf(0.9, 0.8, 'ratio', 'up')).toEqual({ direction: 'up', tone: 'good', text: '+10.0 个百分点' });
    expect(changeOf(5, 2, 'count', 'down')).toEqual({ direction: 'up', tone: 'bad', text: '+3 件' });
    expect(changeOf(2.5, 4, 'hours', 'down')).toEqual({ direction: 'down', tone: 'good', text: '−1.5 小时' });
  });

  it('calls a difference the display rounds away 持平, and nothing to compare null', () => {
    expect(changeOf(0.80001, 0.8, 'ratio', 'up')?.direction).toBe('flat');
    expect(changeOf(3, 3, 'count', 'down')?.tone).toBe('neutral');
    expect(changeOf(null, 3, 'count', 'down')).toBeNull();
    expect(changeOf(3, null, 'count', 'down')).toBeNull();
  });
});
