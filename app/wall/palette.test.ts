import { describe, expect, it } from 'vitest';
import { EVENT_STATES } from '@/lib/events/machine';
import { STATE_GROUPS } from '@/app/console/palette';
import { stageOf } from './palette';

describe('one list of done states (issue 11)', () => {
  it('the wall draws a rated event as done, and every state has a stage', () => {
    // The wall's own list counted a state "verified" that does not exist and missed "rated".
    expect(stageOf('rated')).toBe('done');
    expect(stageOf('handled')).toBe('done');
    expect(stageOf('in_progress')).toBe('working');
    expect(EVENT_STATES.map(stageOf).filter((s) => s === 'done')).toHaveLength(5);
  });

  it('the console colours each state exactly once', () => {
    const coloured = STATE_GROUPS.flatMap((g) => [...g.states]).sort();
    expect(coloured).toEqual([...EVENT_STATES].sort());
  });
});
