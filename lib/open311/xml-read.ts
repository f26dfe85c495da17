/**
 * A reader for the small, attribute-free XML of GeoReport v2 (for the tests): enough to read the
 * spec's examples and our answers back into a tree and compare element names and text. Not a
 * general XML parser: no attributes, CDATA, comments or DTDs (none of which GeoReport uses).
 */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  /** The text of a leaf (entities decoded); '' for an empty element. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);

export function readXml(text: string): { declaration: string | null; root: XmlNode } {
  const declaration = /^<\?xml[^?]*\?>/.exec(text)?.[0] ?? null;
  const body = declaration ? text.slice(declaration.length) : text;
  const stack: XmlNode[] = [{ name: '#document', children: [], text: '' }];
  const tokens = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/g;
  for (let m = tokens.exec(body); m; m = tokens.exec(body)) {
    const [, close, name, selfClose, chars] = m;
    const top = stack[stack.length - 1];
    if (chars !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(chars)) throw new Error(`unescaped & in <${top.name}>`);
      top.text += decode(chars);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      if (top.children.length) top.text = '';
    } else {
      const node: XmlNode = { name, children: [], text: '' };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1 || stack[0].children.length !== 1) throw new Error('not one well-formed root element');
  const root = stack[0].children[0];
  return { declaration, root };
}

export const childNames = (n: XmlNode): string[] => n.children.map((c) => c.name);
export const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
