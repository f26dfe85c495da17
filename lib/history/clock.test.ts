import { describe, expect, it } from 'vitest';
import { advance, clockOf, fromLocalInput, pause, play, seek, shanghaiClock, shanghaiTimeToday, toLocalInput, withSpeed } from './clock';

describe('the replay clock', () => {
  it('does not move while paused', () => {
    const c = clockOf(0, 3_600_000);
    expect(advance(c, 1000).t).toBe(0);
  });

  it('moves by real time × speed', () => {
    const c = play(clockOf(0, 3_600_000, 60));
    expect(advance(c, 1000).t).toBe(60_000);
    expect(advance(withSpeed(c, 300), 1000).t).toBe(300_000);
    expect(advance(withSpeed(c, 1), 1000).t).toBe(1000);
  });

  it('stops by itself at the end, and plays again from the start', () => {
    const end = advance(play(clockOf(0, 100_000, 300)), 1000);
    expect(end).toMatchObject({ t: 100_000, playing: false });
    expect(play(end).t).toBe(0);
  });

  it('seeks within the range only', () => {
    const c = clockOf(1000, 2000);
    expect(seek(c, 5).t).toBe(1000);
    expect(seek(c, 5000).t).toBe(2000);
    expect(seek(c, 1500).t).toBe(1500);
    expect(pause(play(c)).playing).toBe(false);
  });
});

describe('times of day in Shanghai', () => {
  // 2025-03-10 01:30 in Shanghai is still 2025-03-09 in UTC.
  const now = Date.parse('2025-03-10T01:30:00+08:00');

  it('reads 14:05 as today’s, Shanghai’s day even when UTC’s is another', () => {
    expect(shanghaiTimeToday('14:05', now)).toBe(Date.parse('2025-03-10T14:05:00+08:00'));
    expect(shanghaiTimeToday('9:05', now)).toBe(Date.parse('2025-03-10T09:05:00+08:00'));
    expect(shanghaiTimeToday(' 00:00:30 ', now)).toBe(Date.parse('2025-03-10T00:00:30+08:00'));
    expect(shanghaiTimeToday('14：05', now)).toBe(Date.parse('2025-03-10T14:05:00+08:00'));
  });

  it('refuses what is no time of day', () => {
    for (const bad of ['', '24:00', '14:60', '1405', 'abc', '14:5']) expect(shanghaiTimeToday(bad, now)).toBeNull();
  });

  it('shows and reads Shanghai wall-clock time', () => {
    expect(shanghaiClock(Date.parse('2025-03-09T18:04:05Z'))).toBe('02:04:05');
    expect(toLocalInput(Date.parse('2025-03-09T18:04:05Z'))).toBe('2025-03-10T02:04');
    expect(fromLocalInput('2025-03-10T02:04')).toBe(Date.parse('2025-03-09T18:04:00Z'));
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});
