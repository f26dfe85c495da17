/**
 * The XML of GeoReport v2 (http://wiki.open311.org/GeoReport_v2, "XML Support"): schemaless, no
 * namespace, UTF-8 with the declaration before the root. The JSON side is the Spark convention's
 * mapping of the same tree, so both are written from one value: an object is an element per key,
 * an array is a list element whose items take the singular name the caller gives.
 */

export type XmlValue = string | number | boolean | null | XmlValue[] | { [key: string]: XmlValue };

/** What each list element holds: `services` → `service`, `values` → `value` … (the spec's names). */
export type ItemNames = Readonly<Record<string, string>>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text as XML 1.0 may carry it: markup characters escaped, and the control characters XML 1.0
 * cannot hold at all (even escaped) dropped, so a resident's pasted text never breaks a client's parser.
 */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function element(name: string, value: XmlValue, items: ItemNames, indent: string): string {
  if (value === null || value === '') return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const item = items[name];
    if (!item) throw new Error(`xml: no item name for the list <${name}>`);
    if (value.length === 0) return `${indent}<${name}/>`;
    return `${indent}<${name}>\n${value.map((v) => element(item, v, items, `${indent}  `)).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([k, v]) => element(k, v, items, `${indent}  `));
    return children.length ? `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>` : `${indent}<${name}/>`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document: the declaration, then `root` holding `value`. */
export function xmlDocument(root: string, value: XmlValue, items: ItemNames = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, items, '')}\n`;
}
