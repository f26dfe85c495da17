import { describe, expect, it } from 'vitest';
import { byteRange } from './range';

describe('Range header of the PMTiles file (issue 13, RFC 9110 §14)', () => {
  it.each([
    [undefined, { kind: 'whole' }],
    ['', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=0-99', { kind: 'part', start: 0, end: 99 }],
    ['bytes=0-16383', { kind: 'part', start: 0, end: 999 }],
    ['bytes=990-', { kind: 'part', start: 990, end: 999 }],
    ['bytes=-10', { kind: 'part', start: 990, end: 999 }],
    ['bytes=-5000', { kind: 'part', start: 0, end: 999 }],
    ['Bytes = 5-5', { kind: 'part', start: 5, end: 5 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-2000', { kind: 'unsatisfiable' }],
    ['bytes=10-9', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=-', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'unsatisfiable' }],
    ['bytes=abc', { kind: 'unsatisfiable' }],
    ['bytes=1234567890123456-', { kind: 'unsatisfiable' }],
  ] as const)('%s of a 1000-byte file', (header, expected) => {
    expect(byteRange(header, 1000)).toEqual(expected);
  });

  it('no range of an empty file is satisfiable', () => {
    expect(byteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(byteRange(undefined, 0)).toEqual({ kind: 'whole' });
  });
});
