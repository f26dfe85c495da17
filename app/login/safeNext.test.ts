import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

const ORIGIN = 'http://liandong.local:3000';

describe('safeNext (where login sends the user)', () => {
  it.each([
    '/console?x=1',
    '/wall',
    '/field#photo',
    '/console?q=%E4%B8%AD%E6%96%87',
    '/console?q=100%25',
    '/admin/holidays?year=2025&x=a/b',
  ])('keeps our own path %j', (next) => {
    expect(safeNext(next, ORIGIN)).toBe(next);
  });

  it.each([
    null,
    '',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    ' //evil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%0D%0A/evil.example',
    '/%5Cevil.example',
    '/%5cevil.example',
    '/%2F/evil.example',
    '/%2f%2fevil.example',
    '%2F%2Fevil.example',
    '/%255Cevil.example',
    '/%252F/evil.example',
    '/%2509/evil.example',
    '/wall\\..\\..\\evil',
    '/wall%00',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://evil.example/wall',
    'https://evil.example',
    `${ORIGIN}/wall`,
    'evil.example',
    'wall',
    '?next=/wall',
    '#/wall',
  ])('refuses %j', (next) => {
    expect(safeNext(next, ORIGIN)).toBeNull();
  });
});
