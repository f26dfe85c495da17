import { describe, expect, it } from 'vitest';
import { BuildWatch, readBuild } from './buildWatch';

describe('BuildWatch (issue 13: a wall reloads itself after an upgrade)', () => {
  it('takes the first id as its own and calls any other an upgrade', () => {
    const w = new BuildWatch();
    expect(w.heard('a1')).toBe('loaded');
    expect(w.heard('a1')).toBe('same');
    expect(w.heard('b2')).toBe('upgraded');
    // Still measured against what the page loaded with, not the last answer.
    expect(w.heard('a1')).toBe('same');
  });

  it('reads only a non-empty string id', () => {
    expect(readBuild({ build: 'x' })).toBe('x');
    expect(readBuild({ build: '' })).toBeNull();
    expect(readBuild({ build: 3 })).toBeNull();
    expect(readBuild(null)).toBeNull();
    expect(readBuild('x')).toBeNull();
  });
});
