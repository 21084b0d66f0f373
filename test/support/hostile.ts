/**
 * Hostile input for the fuzz tests (test/api-fuzz.test.ts): strings aimed at SQL, paths, templates
 * and prototypes; malformed bodies made from a valid one, one defect each; token claims that do not
 * fit; and the check that no answer leaks a stack trace or database text.
 */
import fc from 'fast-check';
import type { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const SQL = [
  "' OR '1'='1",
  "1' OR 1=1 --",
  "'; DROP TABLE appeals; --",
  "';DROP/**/TABLE/**/appeals;--",
  "1); SELECT pg_sleep(5); --",
  "' UNION SELECT id, reference FROM appeals --",
  "$$; DELETE FROM decisions; $$",
  "\\'; TRUNCATE timeline_events; --",
];
export const TRAVERSAL = ['../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '....//....//etc/passwd', '/etc/passwd\u0000.json', '..', '.', '~root'];
const INJECTION = ['<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x/a}', '$(reboot)', '%s%s%s%n', '__proto__', 'constructor', 'prototype', 'hasOwnProperty'];
export const CONTROL = ['\u0000', 'a\u0000b', '\u0007', 'line\nbreak', 'tab\there', '\u001b[2J', '\u007f', '\u0085', '\u009b31m', '\r'];
const UNICODE = ['\ud800', 'x\udc00y', '\u2028', '\u202eevil', '\ufeffbom', '🙂', 'e\u0301', 'ẞ', '\uffff'];
const SHAPES = ['', ' ', 'null', 'true', '-0', '1e309', 'NaN', 'Infinity', '[object Object]', 'x'.repeat(5_000)];
export const HOSTILE_STRINGS = [...SQL, ...TRAVERSAL, ...INJECTION, ...CONTROL, ...UNICODE, ...SHAPES];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Already percent-encoded: overlong and unpaired UTF-8, broken escapes, double encoding, encoded traversal. */
export const RAW_ENCODED = ['%ED%A0%80', '%C0%AF', '%E0%A4%A', '%', '%%', '%00', '%FF', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2f', '%252e%252e', '%u0000'];

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Every byte of the UTF-8 form percent-encoded but the unreserved ones (an unpaired surrogate becomes U+FFFD). */
export const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => (UNRESERVED.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

// ---- bodies: a valid body with one defect ---------------------------------------------------------

/** A body to send: JSON text (or bytes that are not UTF-8), with the headers that go with it. */
export interface BodyCase {
  what: string;
  body: string | Buffer;
  headers?: [string, string][];
  /** The strings this case put in the body (so an answer echoing them is not taken for a leak). */
  sent?: string[];
}

interface Place {
  path: string[];
  value: Json;
  field: boolean;
}

/** Every place in a value: the path to it, what is there, and whether it is a field of an object. */
function places(value: Json, path: string[] = [], field = false): Place[] {
  const here = { path, value, field };
  if (Array.isArray(value)) return [here, ...value.flatMap((item, i) => places(item, [...path, String(i)]))];
  if (value !== null && typeof value === 'object') return [here, ...Object.entries(value).flatMap(([key, item]) => places(item, [...path, key], true))];
  return [here];
}

function replaceAt(value: Json, path: string[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const next = replaceAt(copy[head], rest, replacement);
  if (next === undefined) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1);
    else delete copy[head];
  } else copy[head] = next;
  return copy;
}

const SENTINEL = '\u0001fuzz\u0001';
const SENTINEL_JSON = JSON.stringify(SENTINEL);

/** The body as JSON text with `raw` (JSON text, not a value) where `path` is. */
const withRawAt = (body: Json, path: string[], raw: string) => JSON.stringify(replaceAt(body, path, SENTINEL)).replace(SENTINEL_JSON, () => raw);

/** The body as JSON text with `member` ("key":value) written first into the object at `path`. */
function withMemberAt(body: Json, place: Place, member: string): string {
  const object = { [SENTINEL]: 0, ...(place.value as object) } as Json;
  return JSON.stringify(replaceAt(body, place.path, object)).replace(`${SENTINEL_JSON}:0`, () => member);
}

const typeOf = (value: Json) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const isObject = (value: Json): value is { [key: string]: Json } => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A JSON value of another type than `value`: always wrong where `value` is right. */
const otherType = (value: Json): fc.Arbitrary<Json> => (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>).filter((candidate) => typeOf(candidate) !== typeOf(value));

const SPECIAL_NUMBERS = ['1e309', '-1e309', '-0', '-0.0', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.1e1', '1E400', '-9007199254740993'];
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]];

/**
 * One defect at one place of a valid body, or a body that is no JSON object at all; every case is
 * refused. `schema` is the route's own: where a case could still be valid (a -0 where 0 is allowed)
 * an unknown field makes sure it is not.
 */
export function bodyCases(valid: { [key: string]: Json }, constrained: string[][], schema: z.ZodType): fc.Arbitrary<BodyCase> {
  const all = places(valid);
  const objects = all.filter((p) => isObject(p.value) && Object.keys(p.value).length > 0);
  const strings = all.filter((p) => typeof p.value === 'string');
  const refusedEvenIfValid = (text: string) => (schema.safeParse(JSON.parse(text)).success ? text.replace(/^\{/, '{"x_fuzz":0,') : text);
  const at = (list: Place[]) => fc.constantFrom(...list);
  const where = (place: Place) => place.path.join('.') || '(body)';

  return fc.oneof(
    { weight: 6, arbitrary: at(all).chain((place) => oneDefect(valid, place, constrained)) },
    {
      weight: 2,
      arbitrary: fc.tuple(at(objects), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom<Json>({ admin: true }, { polluted: 'yes' }, null, 1, [])).map(([place, key, value]) => ({
        what: `"${key}" in ${where(place)}`,
        body: withMemberAt(valid, place, `${JSON.stringify(key)}:${JSON.stringify(value)}`),
      })),
    },
    {
      weight: 2,
      arbitrary: at(objects).chain((place) => {
        const object = place.value as { [key: string]: Json };
        return fc.constantFrom(...Object.keys(object)).chain((key) =>
          fc.oneof(fc.constant(object[key]), otherType(object[key])).map((first) => ({
            what: `duplicate key ${where(place)}.${key}`,
            body: withMemberAt(valid, place, `${JSON.stringify(key)}:${JSON.stringify(first)}`),
          })),
        );
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(at(all), fc.constantFrom(...SPECIAL_NUMBERS)).map(([place, literal]) => ({
        what: `${literal} at ${where(place)}`,
        body: refusedEvenIfValid(withRawAt(valid, place.path, literal)),
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(at(all), fc.integer({ min: 2, max: 20_000 }), fc.boolean()).map(([place, depth, arrays]) => ({
        what: `nested ${depth} deep at ${where(place)}`,
        body: withRawAt(valid, place.path, arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(at(strings), fc.constantFrom(...INVALID_UTF8)).map(([place, bytes]) => {
        const [head, tail] = withRawAt(valid, place.path, `"x${SENTINEL_JSON.slice(1, -1)}x"`).split(SENTINEL_JSON.slice(1, -1));
        return { what: `bytes ${Buffer.from(bytes).toString('hex')} (not UTF-8) in ${where(place)}`, body: Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]) };
      }),
    },
    { weight: 1, arbitrary: notAnObject },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: otherMediaType(JSON.stringify(valid)) },
  );
}

/** The defects of one place: another type, missing, a bad string, an unknown value or field, a number out of range. */
function oneDefect(valid: Json, place: Place, constrained: string[][]): fc.Arbitrary<BodyCase> {
  const { path, value, field } = place;
  const where = path.join('.') || '(body)';
  const put = (what: string) => (replacement: Json | undefined) => ({ what: `${what} at ${where}`, body: JSON.stringify(replaceAt(valid, path, replacement)) });
  const defects: fc.Arbitrary<BodyCase>[] = [otherType(value).map(put('wrong type'))];
  // Every field of the valid bodies is required (an array may lose an item and stay valid).
  if (field) defects.push(fc.constant(put('missing')(undefined)));
  if (typeof value === 'string') {
    defects.push(
      fc.constantFrom('', '   ', 'a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u0085b', '\ud800', 'x'.repeat(60_000)).map((v) => ({ ...put('bad string')(v), sent: [v] })),
    );
    if (constrained.some((c) => c.join('.') === path.join('.'))) {
      defects.push(fc.oneof(hostileString, fc.string()).map((s) => ({ ...put('unknown value')(`~${s}`), sent: [s] })));
    }
  }
  if (typeof value === 'number') defects.push(fc.constantFrom(value + 0.5, -1 - value, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2).map(put('out of range')));
  if (isObject(value)) {
    defects.push(
      fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })).map(([key, v]) => ({
        ...put('unknown field')({ ...value, [`x_${key}`]: v as Json }),
        sent: [key],
      })),
    );
  }
  return fc.oneof(...defects);
}

const notAnObject: fc.Arbitrary<BodyCase> = fc
  .jsonValue({ maxDepth: 2 })
  .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
  .map((body) => ({ what: 'not an object', body: JSON.stringify(body) }));

const notJson: fc.Arbitrary<BodyCase> = fc
  .oneof(fc.string(), fc.constantFrom('{', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":01}', '{"a":"\\x41"}', '\ufeff{}', '{"a":1}{"b":2}', '{"a":1} trailing'))
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  })
  .map((body) => ({ what: 'not JSON', body: body === '' ? '{' : body, sent: [body] }));

function otherMediaType(valid: string): fc.Arbitrary<BodyCase> {
  return fc.oneof(
    fc
      .constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1')
      .map((type) => ({ what: `content type ${type}`, body: valid, headers: [['Content-Type', type]] as [string, string][] })),
    fc
      .constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip')
      .map((encoding) => ({ what: `content encoding ${encoding}`, body: valid, headers: [['Content-Encoding', encoding]] as [string, string][] })),
  );
}

// ---- tokens whose claims do not fit ----------------------------------------------------------------

const OTHER_ROLES = ['caseworker', 'arbiter', 'admin'];
const ROLES = [...OTHER_ROLES, 'manager'];

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const unfitText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...CONTROL, '\u0001', '\u001f', '\u009f'), fc.string({ maxLength: 10 })).map(([a, c, b]) => a + c + b),
  fc.integer({ min: 256, max: 2_000 }).map((n) => 's'.repeat(n)),
  fc.constantFrom('', ' ', '   ', ' padded', 'padded ', '\tpadded', '\ud800', 'a\udc00'),
);

/** Claims that must be refused (401): a sub, role or department of the wrong type, missing, or unfit. */
export const unfitClaims: fc.Arbitrary<{ what: string; claims: Record<string, unknown> }> = fc.oneof(
  fc.record({ sub: fc.oneof(wrongType, unfitText), role: fc.constantFrom(...OTHER_ROLES) }).map((claims) => ({ what: 'sub that does not fit', claims })),
  fc.constantFrom(...ROLES).map((role) => ({ what: 'no sub', claims: { role } })),
  fc
    .record({ sub: fc.constant('fuzz-user'), role: fc.oneof(wrongType, fc.string().filter((s) => !ROLES.includes(s)), fc.constantFrom('Caseworker', 'admin ', 'root', 'caseworker\u0000')) })
    .map((claims) => ({ what: 'role that does not fit', claims })),
  fc.constant({ what: 'no role', claims: { sub: 'fuzz-user' } }),
  fc
    .record({ sub: fc.constant('fuzz-manager'), role: fc.constant('manager'), department: fc.oneof(wrongType, unfitText, fc.constantFrom('ho', 'H', 'HO\u0000', 'HO; DROP TABLE appeals', 'A'.repeat(17))) })
    .map((claims) => ({ what: "manager's department that does not fit", claims })),
  fc.constant({ what: 'manager without a department', claims: { sub: 'fuzz-manager', role: 'manager' } }),
  fc
    .record({ sub: fc.constant('fuzz-user'), role: fc.constantFrom(...OTHER_ROLES), department: fc.oneof(wrongType, unfitText) })
    .map((claims) => ({ what: 'department that does not fit', claims })),
);

/** Authorization headers that identify nobody (401). */
export const unfitAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer x', 'bearer a b', 'Basic YTpi', 'Token abc', `Bearer ${'x'.repeat(5_000)}`),
  fc.constantFrom(...SQL, ...TRAVERSAL.filter((t) => !t.includes('\u0000'))).map((s) => `Bearer ${s}`),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`), // a control character would be refused by Node's parser (400), not by the token check
);

// ---- what no answer may hold ------------------------------------------------------------------------

const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat (?:async )?\S+ \(?\S*:\d+:\d+\)?/],
  ['a source file', /node_modules|\.(?:ts|js|cjs|mjs):\d+/],
  ['a database error', /QueryFailedError|TypeORMError|syntax error at or near|invalid input syntax|invalid byte sequence|violates \w+ constraint|duplicate key value|relation "\w+"|column "\w+"|pg_catalog|SQLSTATE/i],
  ['SQL', /\b(?:SELECT|INSERT|UPDATE|DELETE)\b[\s\S]{0,200}\b(?:FROM|INTO|SET|WHERE)\b/i],
];

/** What an answer leaks (a stack trace, a file, a database error, SQL) that the request itself did not send. */
export function leakIn(answer: string, sent: string[]): string | undefined {
  let text = answer;
  // Strip echoes of what was sent (raw and JSON-escaped); a piece of one or two characters echoes nothing.
  for (const piece of sent.filter((p) => p.length > 2)) {
    text = text.split(piece).join('').split(JSON.stringify(piece).slice(1, -1)).join('');
  }
  return LEAKS.find(([, pattern]) => pattern.test(text))?.[0];
}
