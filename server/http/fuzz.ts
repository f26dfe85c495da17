import { request } from 'node:http';
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { PositionV1 } from '@/lib/contracts/live';
import { openApiPath, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from './openapi';
import { BODY_TYPES, type RouteInfo } from './router';

/*
 * Issue 11: every route of the OpenAPI document and every Socket.IO handler is driven with
 * garbage — wrong types, huge and deeply nested values, bad UTF-8, wrong content types, unknown
 * fields, garbage path parameters — as an administrator, a station leader, anonymously and with a
 * device token or API key where the route takes one. Properties: no answer is a 5xx, no
 * connection is dropped, and the server still answers /healthz afterwards.
 *
 * It runs against the shared test database, so it must change nothing: a mutating route only
 * ever gets a body its own schema refuses (checked with that schema before sending), logout is
 * only called without a session, and a socket's positions are all ones PositionV1 refuses. The
 * test checks the tables it could touch are unchanged afterwards.
 *
 * runFuzz is exported for a chaos script: FUZZ_RUNS=<runs per route> for a long round. The long
 * round also runs with valid bodies (`mutate`) on a database made for it and dropped afterwards.
 */

type Headers = Record<string, string>;

/** Who sends: the test logs in the sessions; callers it cannot provide are left out. */
export interface FuzzCallers {
  /** A session of the administrator. */
  admin: Headers;
  /** A session of a station leader, who holds the command permissions the administrator lacks. */
  leader?: Headers;
  /** A session of an account with a unit, for the /field namespace. */
  field?: Headers;
  /** A device token (POST /api/v1/positions). */
  device?: Headers;
  /** A source system's API key (events, photos, stats). */
  apiKey?: Headers;
}

export interface FuzzTarget {
  url: string;
  callers: FuzzCallers;
  /** The router's routes (router.list()): their zod body schemas keep every mutating request invalid. */
  routes: readonly RouteInfo[];
  /** Socket.IO event handlers by namespace (server/live/sockets.ts socketHandlers). */
  sockets?: Record<string, readonly string[]>;
}

export interface FuzzOptions {
  /** Requests per route and messages per socket. */
  runs: number;
  seed?: number;
  /** Routes driven at once. */
  concurrency?: number;
  /** Let fast-check shrink a failure to its smallest input (slow: each step is a request). */
  shrink?: boolean;
  /**
   * Also send bodies the route's schema accepts, with edge values inside its bounds, so the
   * handlers and the database are reached. Only against a database of its own: it changes data.
   */
  mutate?: boolean;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  where: string;
  problem: string;
  input: string;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  operations: number;
  requests: number;
  socketMessages: number;
  statuses: Record<string, number>;
  failures: FuzzFailure[];
  healthy: boolean;
  ms: number;
}

/** A request as the fuzzer sends it. */
interface Shot {
  method: string;
  path: string;
  headers: Headers;
  body?: Buffer;
  /** Sizes of the pieces the body is streamed in (chunked); absent: sent whole with its length. */
  pieces?: number[];
}

interface Outcome {
  status?: number;
  error?: string;
  ms: number;
}

const REQUEST_TIMEOUT_MS = 20_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---------------------------------------------------------------------------------------------
// Values

const ascii = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
/** What Node lets into a header value: visible ASCII and spaces. */
const headerText = (maxLength: number) => fc.string({ unit: ascii(0x20, 0x7e), maxLength });
const token = (maxLength: number) => fc.string({ unit: ascii(0x21, 0x7e), minLength: 1, maxLength });
const percentBytes = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
/** Any text as a URL part: every byte escaped, so invalid UTF-8 and NUL reach the server intact. */
const anyBytes = (maxLength: number) => fc.uint8Array({ maxLength }).map(percentBytes);

/** Strings that have broken servers: NUL, lone surrogates, direction marks, emoji, a wall of text. */
const nastyString = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', '\u202e', '💥', '\ufeff', '\r\n', '%00', "'; DROP TABLE events; --", '${7*7}', '<script>', '../../etc/passwd'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const nastyNumber = fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e21);
const leaf: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString, nastyNumber, fc.constant(null), fc.boolean());
/** Nested `depth` times in arrays or objects: parsers and validators that recurse meet their stack. */
const nested = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

/** An object shaped like what the schema asks for, with wrong values and fields it does not know. */
function shaped(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const props = Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
  const known = props.length ? fc.subarray(props) : fc.constant<string[]>([]);
  return fc
    .tuple(known, fc.array(leaf, { minLength: props.length, maxLength: props.length }), fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'v', 'id'), token(12)), leaf, { maxKeys: 3 }))
    .map(([keys, values, extra]) => Object.assign(Object.fromEntries(keys.map((k) => [k, values[props.indexOf(k)]])), extra));
}

/** JSON text, mostly invalid for any schema and often not JSON at all. */
function jsonText(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: shaped(schema).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']), fc.constantFrom('1', '"\\u0000"', '{}')).map(([d, [o, c], inner]) => nested(d, o, c, inner)) },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 450_000 }).map((d) => nested(d, '[', ']')) },
    { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 1_300_000 }).map((n) => JSON.stringify({ v: 1, title: 'x'.repeat(n) })) },
    { weight: 1, arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), fc.nat()).map(([s, cut]) => s.slice(0, cut % (s.length + 1))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' ', 'null', 'true', '0', '-0', '1e999999', '"\\ud800"', '[]', '{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', '{"v":1', 'NaN', "{'a':1}", '\u0000'),
    },
  );
}

/** Text in the wrong encoding, or with bytes that are no UTF-8 at all. */
function encoded(text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 5, arbitrary: text.map((t) => Buffer.from(t, 'utf8')) },
    { weight: 1, arbitrary: text.map((t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])) },
    { weight: 1, arbitrary: text.map((t) => Buffer.from(t, 'utf16le')) },
    { weight: 1, arbitrary: text.map((t) => Buffer.from(t, 'latin1')) },
    {
      weight: 2,
      arbitrary: fc.tuple(text, fc.nat(), fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00])).map(([t, at, bad]) => {
        const b = Buffer.from(t, 'utf8');
        const i = at % (b.length + 1);
        return Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]);
      }),
    },
  );
}

const sheetText = fc.oneof(
  fc
    .tuple(fc.array(fc.array(fc.oneof(nastyString, fc.string(), fc.constantFrom('"', '""', '"a""b"', '="1+1"', '\r', '\n')), { maxLength: 8 }).map((r) => r.join(',')), { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([rows, eol]) => rows.join(eol)),
  fc.integer({ min: 1, max: 3_000_000 }).map((n) => `a,${'b'.repeat(n)}`),
  fc.constantFrom('', ',', '"', '\n\n\n', 'date,category\n', 'date,category,region_code,count\n"unclosed'),
);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const WEBP = [...Buffer.from('RIFF'), 0x10, 0, 0, 0, ...Buffer.from('WEBPVP8 ')];
const XLSX = [0x50, 0x4b, 0x03, 0x04];
/** Bytes that start like an image or a workbook and go on as garbage: the parsers behind the sniffing. */
const binary = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.constantFrom(PNG, JPEG, WEBP, XLSX), fc.uint8Array({ maxLength: 4096 })).map(([magic, rest]) => Buffer.concat([Buffer.from(magic), Buffer.from(rest)])),
  fc.tuple(fc.constantFrom(PNG, JPEG, WEBP, XLSX), fc.nat({ max: 12 })).map(([magic, n]) => Buffer.from(magic.slice(0, n))),
  fc.integer({ min: 1, max: 12 * 1024 * 1024 }).map((n) => Buffer.concat([Buffer.from(PNG), Buffer.alloc(n)])),
);

/**
 * Values a JSON Schema (as zod writes it) accepts, leaning on its bounds: the shortest and longest
 * strings, the smallest and largest numbers, calendar edges. Refinements JSON Schema cannot say
 * (one of location or villageCode, end after start) are left to chance.
 */
function valid(schema: JsonSchema | undefined, components: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return leaf;
  const ref = schema.$ref;
  if (typeof ref === 'string') return valid(components[ref.replace('#/components/schemas/', '')], components, depth + 1);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  // EventReportV1 adds an anyOf of `required` lists to its object: it is a rule, not alternatives.
  if (alternatives && !alternatives.every((a) => Object.keys(a).join() === 'required')) return fc.oneof(...alternatives.map((a) => valid(a, components, depth + 1)));
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => valid({ ...schema, type: t }, components, depth + 1)));
  const num = (k: string) => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + 1 : -(2 ** 31));
      const max = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - 1 : 2 ** 31);
      const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
      const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
      const edges = fc.constantFrom(lo, hi, Math.min(hi, Math.max(lo, 0)), Math.min(hi, Math.max(lo, 1)));
      const inside = type === 'integer' ? fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31) }) : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
      // Small whole numbers where the range holds any (a number in [0.001, 0.1], say, holds none).
      const small = { min: Math.ceil(Math.max(lo, 0)), max: Math.floor(Math.max(Math.min(hi, 300), Math.max(lo, 0))) };
      return small.min <= small.max ? fc.oneof(edges, fc.integer(small), inside) : fc.oneof(edges, inside);
    }
    case 'string': {
      const minLength = num('minLength') ?? 0;
      const maxLength = Math.min(num('maxLength') ?? 300, 5_000);
      const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
      if (typeof schema.pattern === 'string') {
        try {
          return fc.oneof(fc.stringMatching(new RegExp(schema.pattern)).filter(fits), ...(schema.format ? [valid({ format: schema.format, type: 'string' }, components, depth + 1)] : []));
        } catch {
          // Not a pattern fast-check can generate from: any string below.
        }
      }
      if (schema.format === 'date') return fc.constantFrom('0000-01-01', '0001-01-01', '2026-02-28', '2024-02-29', '2099-12-31', '9999-12-31');
      if (schema.format === 'date-time') return fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2026-03-01T08:00:00+08:00', '9999-12-31T23:59:59.999Z', '2026-03-01T00:00:00-12:00');
      return fc.oneof(
        fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 40) }),
        fc.constantFrom(' '.repeat(Math.max(minLength, 1)), '\u202e'.repeat(Math.max(minLength, 1)), '💥'.repeat(Math.max(minLength, 1)), '\ud800'.repeat(Math.max(minLength, 1))).filter(fits),
        fc.constant('x'.repeat(maxLength)).filter(fits),
      );
    }
    case 'array': {
      const items = schema.items as JsonSchema | undefined;
      const minLength = num('minItems') ?? 0;
      return fc.array(valid(items, components, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(num('maxItems') ?? 5, 5)) });
    }
    case 'object': {
      const props = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      return fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, components, depth + 1)])),
        { requiredKeys: Object.keys(props).filter((k) => required.has(k)) },
      );
    }
    default:
      return leaf;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Path parameters: plausible ids and codes, bounds and beyond, broken escapes, any bytes, very long. */
const paramValue = fc.oneof(
  // Ids of rows the demo data has, so a handler gets past "not found" as often as not.
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }).map(String) },
  fc.integer({ min: -3, max: 300 }).map(String),
  fc.constantFrom(
    '0', '-1', '1.5', '1e3', '1e309', '0x1f', '%201', 'NaN', 'Infinity', '2147483647', '2147483648', '9007199254740993', '99999999999999999999999',
    '%00', '%', '%E0%A4%A', '%C0%AF', '%FF', '..', '.', '%2F', '%252F', '%0D%0A', 'null', '__proto__', 'constructor',
    'police', 'grid', 'hazard', 'hazard.fire', 'HAZARD', '2027-01-01', '2026-02-30', '0000-00-00', 'a'.repeat(64), 'f'.repeat(64), 'F'.repeat(64),
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => encodeURIComponent(s)),
  anyBytes(30),
  fc.integer({ min: 300, max: 6000 }).map((n) => '9'.repeat(n)),
);

/** A value for a query parameter: one its schema admits, one at or past its bounds, or garbage. */
function queryValue(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [anyBytes(20), fc.constantFrom('', '%00', '-1', '0', '1e309', 'true', 'null', '%E0%A4', 'x'.repeat(3000))];
  const en = schema?.enum as unknown[] | undefined;
  if (en?.length) options.push(fc.constantFrom(...en.map(String)));
  if (schema?.type === 'integer' || schema?.type === 'number') {
    const edges = [schema.minimum, schema.maximum, schema.exclusiveMinimum].filter((x): x is number => typeof x === 'number');
    options.push(fc.oneof(fc.integer({ min: -10, max: 1000 }), fc.constantFrom(...edges, ...edges.map((e) => e + 1), ...edges.map((e) => e - 1), 2 ** 31, 2 ** 53 + 2)).map(String));
  }
  // Calendar edges: years 0000 and 9999, leap days, the first and last instants a format allows.
  const years = ['0000', '0001', '1969', '2000', '2026', '2099', '9999'];
  if (schema?.format === 'date' || typeof schema?.pattern === 'string' && /\\d\{4\}-/.test(schema.pattern)) {
    options.push(fc.constantFrom(...years.flatMap((y) => [`${y}-01-01`, `${y}-12-31`, `${y}-02-29`, `${y}-01`, `${y}-12`]), '2026-13-01', '2026-1-1'));
  }
  if (schema?.format === 'date-time') {
    options.push(fc.constantFrom(...years.flatMap((y) => [`${y}-01-01T00:00:00Z`, `${y}-12-31T23:59:59.999+14:00`, `${y}-12-31T23:59:59-12:00`]), '275760-09-13T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01'));
  }
  // Values the pattern admits, so a query gets past validation and into the handler.
  if (typeof schema?.pattern === 'string') {
    try {
      options.push(fc.stringMatching(new RegExp(schema.pattern)).map((s) => encodeURIComponent(s)));
    } catch {
      // A pattern fast-check cannot generate from: the other values still reach the route.
    }
  }
  if (schema?.format === 'date-time') options.push(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()));
  if (schema?.type === 'string' && !en) options.push(fc.string({ unit: 'grapheme', maxLength: 70 }).map((s) => encodeURIComponent(s)));
  return fc.oneof(...options);
}

function queryString(op: OpenApiOperation): fc.Arbitrary<string> {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  const known = params.map((p) => fc.option(fc.tuple(fc.constant(String(p.name)), queryValue(p.schema as JsonSchema | undefined)), { nil: undefined, freq: 2 }));
  const unknown = fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'display', ...params.map((p) => `${String(p.name)}[]`)), anyBytes(8)), queryValue(undefined)), { maxLength: 2 });
  return fc.tuple(fc.tuple(...known), unknown).map(([k, u]) => {
    const pairs = [...k.filter((x): x is [string, string] => x !== undefined), ...u];
    return pairs.length ? `?${pairs.map(([name, value]) => `${/%/.test(name) ? name : encodeURIComponent(name)}=${value}`).join('&')}` : '';
  });
}

type CallerName = keyof FuzzCallers | 'anonymous' | 'forged';

/** Who may sensibly call a route: each route gets its own callers and always a stranger. */
function callersOf(route: RouteInfo, callers: FuzzCallers): CallerName[] {
  const has = (c: keyof FuzzCallers) => callers[c] !== undefined;
  const out: CallerName[] = ['anonymous', 'forged'];
  // Logging out as the administrator would end the session the rest of the run uses.
  if (route.path === '/api/v1/auth/logout') return out;
  out.push('admin');
  if (has('leader') && route.access !== 'public') out.push('leader');
  if (has('device') && (route.doc?.auth?.includes('deviceToken') || route.access !== 'public')) out.push('device');
  if (has('apiKey') && route.doc?.auth?.includes('apiKey')) out.push('apiKey');
  return out;
}

/** Credentials nobody issued: a stranger's cookie or token, a broken Authorization header. */
const forged: fc.Arbitrary<Headers> = fc.oneof(
  token(60).map((t) => ({ cookie: `ld_session=${t}` })),
  token(60).map((t) => ({ authorization: `Bearer ${t}` })),
  fc.constantFrom<Headers>({ authorization: 'Bearer' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: `Bearer ${'a'.repeat(6000)}` }, { cookie: 'ld_session=' }, { cookie: 'ld_session=%00; ld_session=x' }),
  headerText(200).map((t) => ({ cookie: t })),
);

/** Content types: the right ones most of the time, so validation and the handler are reached. */
function contentType(route: RouteInfo): fc.Arbitrary<string | undefined> {
  const right = BODY_TYPES[route.body];
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...right) },
    { weight: 2, arbitrary: fc.constantFrom(...right.flatMap((t) => [`${t}; charset=utf-8`, `${t.toUpperCase()}; charset=UTF-8`, `${t}; charset=latin1`, `${t};;;charset="utf-16"`])) },
    { weight: 2, arbitrary: fc.constantFrom(undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', 'image/svg+xml', 'application/octet-stream', '*/*') },
    { weight: 1, arbitrary: headerText(60) },
  );
}

const extraHeaders: fc.Arbitrary<Headers> = fc
  .subarray([
    ['origin', 'http://evil.example'],
    ['x-forwarded-for', '1.2.3.4, ::1, garbage'],
    ['if-none-match', '"x"'],
    ['accept', 'application/xml'],
    ['accept-encoding', 'gzip, br'],
    ['x-http-method-override', 'DELETE'],
    ['range', 'bytes=0-1'],
  ] as const)
  .map((pairs) => Object.fromEntries(pairs));

/** Body bytes for the route's kind; with `mutate`, JSON ones are often what the schema accepts. */
function body(route: RouteInfo, op: OpenApiOperation, components: Record<string, JsonSchema>, mutate: boolean): fc.Arbitrary<Buffer> {
  if (route.body === 'json') {
    let schema = op.requestBody?.content['application/json']?.schema;
    if (typeof schema?.$ref === 'string') schema = components[schema.$ref.replace('#/components/schemas/', '')];
    const garbage = encoded(jsonText(schema));
    if (!mutate || !schema) return garbage;
    return fc.oneof({ weight: 3, arbitrary: valid(schema, components).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) }, { weight: 2, arbitrary: garbage });
  }
  if (route.body === 'image') return fc.oneof(binary, encoded(fc.string({ maxLength: 200 })));
  return fc.oneof({ weight: 3, arbitrary: encoded(sheetText) }, { weight: 1, arbitrary: binary });
}

/**
 * Routes that end sessions or revoke credentials: even a run that may change data sends them only
 * what they refuse, or the callers it uses would be signed out and the rest of the run stay shallow.
 */
const ENDS_SESSIONS = new Set([
  'POST /api/v1/accounts/:id/sign-out', 'PATCH /api/v1/accounts/:id', 'POST /api/v1/accounts/:id/password', 'PUT /api/v1/people/:id',
  'POST /api/v1/admin/device-tokens/:id/revoke', 'POST /api/v1/admin/api-keys/:id/revoke',
]);

/**
 * The one rule that keeps the shared database as it was: a mutating request's body must be one its
 * route refuses. A body its schema accepts is made into one it cannot: an array where an object goes.
 */
function keepInvalid(route: RouteInfo, bytes: Buffer, mutate: boolean): Buffer {
  if (!MUTATING.has(route.method)) return bytes;
  if (mutate && !ENDS_SESSIONS.has(`${route.method} ${route.path}`)) return bytes;
  if (route.body === 'json') {
    const schema = route.doc?.body;
    // A route that reads no body (logout) has none to refuse.
    if (schema === undefined) return bytes;
    if (!(schema instanceof z.ZodType)) throw new Error(`${route.method} ${route.path}: its body is documented without a zod schema, so the fuzzer cannot keep it invalid`);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      return bytes;
    }
    const accepted = (v: unknown) => schema.safeParse(v).success;
    // A batch of positions is taken item by item: no item may be one PositionV1 accepts.
    const movesAUnit = (v: unknown) => route.path === '/api/v1/positions' && typeof v === 'object' && v !== null && Array.isArray((v as { positions?: unknown }).positions) && (v as { positions: unknown[] }).positions.some((p) => PositionV1.safeParse(p).success);
    if (!accepted(value) && !movesAUnit(value)) return bytes;
    const wrapped = [value];
    if (accepted(wrapped)) throw new Error(`${route.method} ${route.path}: cannot make an invalid body for its schema`);
    return Buffer.from(JSON.stringify(wrapped));
  }
  // A sheet or CSV whose first row names the columns its import needs could import rows: a first row of its own lacks them.
  return route.body === 'image' ? bytes : Buffer.concat([Buffer.from('#\n'), bytes]);
}

function shots(route: RouteInfo, op: OpenApiOperation, callers: FuzzCallers, siblings: readonly string[], components: Record<string, JsonSchema>, mutate: boolean): fc.Arbitrary<Shot & { caller: CallerName }> {
  const who = callersOf(route, callers);
  const mutating = MUTATING.has(route.method);
  // Only methods no route of the path takes: a switched method never reaches a handler.
  const strangers = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'].filter((m) => !siblings.includes(m));
  const path = fc
    .tuple(...[...route.path.matchAll(/:(\w+)/g)].map(() => paramValue))
    .map((values) => {
      let i = 0;
      return route.path.replace(/:(\w+)/g, () => values[i++]);
    });
  return fc
    .record({
      // Mostly callers who may, so validation and the handler are reached; strangers a share of the time.
      caller: fc.oneof(...who.map((c) => ({ weight: c === 'anonymous' || c === 'forged' ? 1 : 3, arbitrary: fc.constant(c) }))),
      forged,
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...strangers) }),
      path,
      query: queryString(op),
      type: contentType(route),
      extra: extraHeaders,
      body: mutating ? body(route, op, components, mutate).map((b) => keepInvalid(route, b, mutate)) : fc.option(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), { freq: 8, nil: undefined }),
      pieces: fc.option(fc.array(fc.integer({ min: 1, max: 65_536 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
    })
    .map((r) => {
      const auth = r.caller === 'anonymous' ? {} : r.caller === 'forged' ? r.forged : (callers[r.caller] ?? {});
      const headers: Headers = { ...r.extra, ...auth };
      // Node will not send a body with these; a GET's stray body is kept (the server must ignore it).
      const sendsBody = r.body !== undefined && !['HEAD', 'OPTIONS', 'TRACE'].includes(r.method);
      if (r.type !== undefined && sendsBody) headers['content-type'] = r.type;
      return { caller: r.caller, method: r.method, path: r.path + r.query, headers, ...(sendsBody ? { body: r.body, pieces: r.pieces } : {}) };
    });
}

/** Sends one request; the outcome is its status, or how the connection failed. */
function send(url: string, shot: Shot): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Omit<Outcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...o, ms: Math.round(performance.now() - started) });
    };
    let req;
    // Node frames a streamed body as chunked by itself only for POST, PUT and PATCH. A GET or DELETE
    // streamed without it goes out unframed: the server reads the rest as a second request, and its
    // 400 for that one raced ahead of (and hid) a 500 for the first.
    const headers = shot.body && shot.pieces ? { ...shot.headers, 'transfer-encoding': 'chunked' } : shot.headers;
    try {
      req = request(`${url}${shot.path}`, { method: shot.method, headers, agent: false });
    } catch (err) {
      // Node refused to send it (a header it will not write): not the server's doing.
      return done({ status: 0, error: `client: ${(err as Error).message}` });
    }
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      done({ error: 'timeout' });
      req.destroy();
    });
    req.on('response', (res) => {
      res.on('error', (e) => done({ status: res.statusCode, error: `response: ${e.message}` }));
      res.on('aborted', () => done({ status: res.statusCode, error: 'response aborted' }));
      res.on('end', () => done({ status: res.statusCode }));
      res.resume();
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    const b = shot.body;
    if (!b) return void req.end();
    if (!shot.pieces) return void req.end(b);
    // Streamed in pieces that may split a UTF-8 sequence or a JSON token; the rest goes in the last one.
    let at = 0;
    for (const n of shot.pieces) {
      if (at >= b.length) break;
      req.write(b.subarray(at, at + n));
      at += n;
    }
    req.end(b.subarray(at));
  });
}

const failureText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const describeShot = (s: Shot & { caller?: string }) => {
  const b = s.body;
  const preview = b ? `${b.length} bytes: ${JSON.stringify(b.subarray(0, 160).toString('latin1'))}${b.length > 160 ? '…' : ''}` : 'no body';
  return `${s.method} ${s.path.length > 300 ? `${s.path.slice(0, 300)}…(${s.path.length})` : s.path} as ${s.caller ?? '?'} [${JSON.stringify(s.headers).slice(0, 300)}] ${preview}${s.pieces ? ` in pieces ${s.pieces.join(',')}` : ''}`;
};

/**
 * What counts as a failure: a 5xx, or no answer at all. Node's own client refusing to send a
 * request is not the server's doing, and neither is a reset after a body past the drain bound.
 */
function problemOf(o: Outcome, shot: Shot): string | null {
  if (o.status !== undefined && o.status >= 500) return `answered ${o.status}`;
  if (o.error?.startsWith('client: ')) return null;
  if (o.error && !(o.status === 413 && (shot.body?.length ?? 0) > 16 * 1024 * 1024)) return `no answer: ${o.error}${o.status ? ` after ${o.status}` : ''}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sockets

const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener', 'error', 'message']);
const socketPayload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 3, arbitrary: shaped({ properties: { unit: {}, t: {}, lon: {}, lat: {}, speed: {}, heading: {}, accuracy: {} } }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(leaf, shaped({ properties: { unit: {}, t: {}, lon: {}, lat: {} } })), { maxLength: 50 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 400 }).map((d) => JSON.parse(nested(d, '[', ']')) as unknown) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.integer({ min: 1_001, max: 1_500 }).map((n) => Array.from({ length: n }, () => ({}))) },
);

/** Positions a phone sends must never move its unit: every item is one PositionV1 refuses. */
function keepPositionsInvalid(args: unknown[]): unknown[] {
  const items = Array.isArray(args[0]) ? (args[0] as unknown[]) : [args[0]];
  if (!items.some((p) => PositionV1.safeParse(p).success)) return args;
  return [items.map((p) => (PositionV1.safeParse(p).success ? { unit: p, garbage: true } : p)), ...args.slice(1)];
}

/**
 * A message past MAX_SOCKET_MESSAGE (server/live/io.ts, 256 kB) closes the connection by design,
 * so messages stay below it (JSON length overstates a binary attachment, which is fine here).
 */
const SOCKET_MESSAGE_CAP = 200 * 1024;

function socketMessages(events: readonly string[]): fc.Arbitrary<{ event: string; args: unknown[]; ack: boolean }> {
  return fc
    .record({
      event: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...events) }, { weight: 1, arbitrary: token(20).filter((e) => !RESERVED.has(e)) }),
      args: fc.array(socketPayload, { maxLength: 3 }).filter((args) => (JSON.stringify(args)?.length ?? 0) < SOCKET_MESSAGE_CAP),
      ack: fc.boolean(),
    })
    .map((m) => ({ ...m, args: m.event === 'pos' ? keepPositionsInvalid(m.args) : m.args }));
}

function open(url: string, ns: string, headers: Headers): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(`${url}${ns}`, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(new Error(`${ns}: ${e.message}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Below the per-socket rate limit (server/live/io.ts: 20 a second), so every message is handled. */
const SOCKET_GAP_MS = 60;

async function fuzzSocket(url: string, ns: string, who: string, headers: Headers, events: readonly string[], o: Required<Pick<FuzzOptions, 'runs' | 'seed' | 'shrink'>>, report: FuzzReport): Promise<void> {
  const where = `socket ${ns} as ${who}`;
  let socket: Socket;
  try {
    socket = await open(url, ns, headers);
  } catch (err) {
    report.failures.push({ where, problem: `cannot connect: ${(err as Error).message}`, input: '' });
    return;
  }
  const state: { dropped: string | null } = { dropped: null };
  socket.on('disconnect', (reason) => (state.dropped = reason));
  const details = await fc.check(
    fc.asyncProperty(socketMessages(events), async (m) => {
      if (state.dropped) return true;
      report.socketMessages += 1;
      await sleep(SOCKET_GAP_MS);
      if (!m.ack || !events.includes(m.event)) {
        socket.emit(m.event, ...m.args);
        return true;
      }
      const reply: unknown = await socket.timeout(10_000).emitWithAck(m.event, ...m.args).catch((e: Error) => ({ timeout: e.message }));
      if (reply && typeof reply === 'object' && 'error' in reply && (reply as { error: unknown }).error === 'internal') throw new Error(`${m.event} answered ${JSON.stringify(reply)}`);
      if (reply && typeof reply === 'object' && 'timeout' in reply) throw new Error(`${m.event}: no answer within 10 s`);
      return true;
    }),
    { numRuns: o.runs * 4, seed: o.seed, endOnFailure: !o.shrink },
  );
  if (details.failed) report.failures.push({ where, problem: failureText(details.errorInstance), input: JSON.stringify(details.counterexample)?.slice(0, 500) ?? '' });
  // Still connected, and still served: the handlers answer a plain request after all that.
  await sleep(SOCKET_GAP_MS);
  if (state.dropped) report.failures.push({ where, problem: `disconnected by the server: ${state.dropped}`, input: '' });
  else if (events.includes('snapshot')) {
    const r: unknown = await socket.timeout(10_000).emitWithAck('snapshot').catch(() => null);
    if (!r || typeof r !== 'object' || 'error' in r) report.failures.push({ where, problem: `snapshot afterwards answered ${JSON.stringify(r)}`, input: '' });
  } else if (events.includes('pos')) {
    const r: unknown = await socket.timeout(10_000).emitWithAck('pos', []).catch(() => null);
    if (!r || typeof r !== 'object' || 'error' in r) report.failures.push({ where, problem: `pos afterwards answered ${JSON.stringify(r)}`, input: '' });
  }
  socket.close();
}

// ---------------------------------------------------------------------------------------------
// The run

/** Drives every operation of the served OpenAPI document and every socket handler; never throws for a finding. */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const o = { runs: options.runs, seed: options.seed ?? Date.now() % 2 ** 31, shrink: options.shrink ?? false };
  const log = options.log ?? (() => undefined);
  const report: FuzzReport = { seed: o.seed, runs: o.runs, operations: 0, requests: 0, socketMessages: 0, statuses: {}, failures: [], healthy: false, ms: 0 };

  const doc = (await (await fetch(`${target.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  const work: { route: RouteInfo; op: OpenApiOperation; siblings: string[] }[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const route = target.routes.find((r) => r.method === m.toUpperCase() && openApiPath(r.path) === p);
      // The document is the list: an operation the router does not know is itself a finding.
      if (!route || !op) {
        report.failures.push({ where: `${m.toUpperCase()} ${p}`, problem: 'documented but not a route of the router given', input: '' });
        continue;
      }
      work.push({ route, op, siblings: Object.keys(ops).map((x) => x.toUpperCase()) });
    }
  }
  report.operations = work.length;

  const httpRound = async () => {
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const { route, op, siblings } = work[next++];
        const where = `${route.method} ${route.path}`;
        const details = await fc.check(
          fc.asyncProperty(shots(route, op, target.callers, siblings, doc.components.schemas, options.mutate ?? false), async (shot) => {
            const outcome = await send(target.url, shot);
            report.requests += 1;
            const key = outcome.status !== undefined ? String(outcome.status) : (outcome.error ?? '?');
            report.statuses[key] = (report.statuses[key] ?? 0) + 1;
            const problem = problemOf(outcome, shot);
            if (problem) {
              log(`${problem} — ${describeShot(shot)}`);
              throw new Error(`${problem} — ${describeShot(shot)}`);
            }
          }),
          { numRuns: o.runs, seed: o.seed, endOnFailure: !o.shrink },
        );
        if (details.failed) {
          const message = failureText(details.errorInstance);
          report.failures.push({ where, problem: message.split(' — ')[0], input: message.split(' — ').slice(1).join(' — ') });
          log(`FAIL ${where}: ${message.slice(0, 400)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  };

  const socketRound = async () => {
    const plan: [string, string, Headers][] = [];
    for (const ns of Object.keys(target.sockets ?? {})) {
      plan.push([ns, 'admin', target.callers.admin]);
      if (ns === '/field' && target.callers.field) plan.push([ns, 'field', target.callers.field]);
      if (ns === '/live' && target.callers.leader) plan.push([ns, 'leader', target.callers.leader]);
    }
    await Promise.all(plan.map(([ns, who, h]) => fuzzSocket(target.url, ns, who, h, target.sockets?.[ns] ?? [], o, report)));
  };

  await Promise.all([httpRound(), socketRound()]);

  const health = await fetch(`${target.url}/healthz`).catch(() => null);
  report.healthy = health?.status === 200;
  if (!report.healthy) report.failures.push({ where: 'GET /healthz', problem: `after the run: ${health?.status ?? 'no answer'}`, input: '' });
  report.ms = Math.round(performance.now() - started);
  log(`fuzz: ${report.operations} operations × ${o.runs} runs, ${report.requests} requests, ${report.socketMessages} socket messages, ${report.ms} ms, seed ${o.seed}`);
  return report;
}
