import { describe, expect, it } from 'vitest';
import { readXml } from './xml-read';
import { escapeXml, xmlDocument } from './xml';

describe('GeoReport XML (issue 14): escaped, UTF-8, lists by the spec’s item names', () => {
  it('escapes markup and drops what XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
    expect(escapeXml('南浔 & 菱湖')).toBe('南浔 &amp; 菱湖');
  });

  it('writes lists with item names, empties as empty elements, and reads back the same text', () => {
    const text = xmlDocument('service_requests', [{ service_request_id: 'ABC', description: '井盖<缺失> & 危险', account_id: null, lat: 30.5, ok: true }], { service_requests: 'request' });
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n  <request>\n')).toBe(true);
    expect(text).toContain('<account_id/>');
    const { root } = readXml(text);
    const req = root.children[0];
    expect(req.name).toBe('request');
    expect(req.children.map((c) => [c.name, c.text])).toEqual([['service_request_id', 'ABC'], ['description', '井盖<缺失> & 危险'], ['account_id', ''], ['lat', '30.5'], ['ok', 'true']]);
    expect(xmlDocument('services', [], { services: 'service' })).toContain('<services/>');
    expect(() => xmlDocument('things', [1])).toThrow(/item name/);
  });
});
