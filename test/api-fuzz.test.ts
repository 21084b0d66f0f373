/**
 * Hostile input. Examples first (strings PostgreSQL must never see, bodies refused before
 * JSON.parse, header blocks Node refuses), then the property: fast-check sends hostile requests to
 * every operation of /openapi.json (bodies with one defect each, prototype keys, duplicate keys,
 * 1e309 and -0, bytes that are not UTF-8, deep nesting, traversal and SQL in path ids, query
 * strings and headers, oversized headers, tokens whose claims do not fit), over raw sockets so
 * every byte arrives as generated. No answer is a 5xx, every one conforms to the OpenAPI document,
 * none holds a stack trace or database text, and refused calls write nothing.
 *
 * Seeded and reproducible: the run prints its seed; FUZZ_SEED=<seed> runs the same requests again.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import type { z } from 'zod';
import {
  AppealSubmissionSchema,
  ArbiterAssignmentSchema,
  ComplianceSchema,
  DecisionSchema,
  ExtensionSchema,
  HearingOutcomeSchema,
  HearingScheduleSchema,
  ManagerResponseSchema,
  WithdrawalSchema,
} from '../api/appeals/schemas';
import { ArbiterRegistrationSchema, ArbiterPublicationSchema } from '../api/arbiters/schemas';
import { NewDepartmentSchema, PolicySchema , GuidanceSchema } from '../api/departments/schemas';
import { CalendarReplacementSchema, ProclaimedHolidaySchema } from '../api/calendars/schemas';
import { createOpenApiDocument } from '../api/docs';
import { DEFAULT_POLICY } from '../domain/policy';
import type { AppealView } from '../domain/appeal';
import { harness, TEST_JWT_SECRET, type ApiResponse } from './harness';
import { appealAt, openAppeal, STRONG_CASE, steps, submission } from './support/appeals';
import { databaseFingerprint, expectProblem, peopleFor, type People } from './support/api';
import { bodyCases, hostileString, leakIn, percentEncode, RAW_ENCODED, SQL, TRAVERSAL, unfitAuthorization, unfitClaims, type BodyCase, type Json } from './support/hostile';
import { form } from './support/documents';
import { rawApi, type RawRequest } from './support/raw-http';

describe('API: strings that must never reach PostgreSQL', () => {
  let people: People;
  before(async () => {
    people = await peopleFor();
  });

  const openWith = (change: (body: any) => void) => {
    const body: any = submission(people.department);
    change(body);
    return harness().api('POST', '/v1/appeals', { token: people.caseworker, body });
  };

  for (const [what, change, field] of [
    ['NUL in a name', (b: any) => (b.appellant.name = 'Sam\u0000Appellant'), 'body.appellant.name'],
    ['an escape sequence in a name', (b: any) => (b.appellant.name = 'Sam \u001b[31mAppellant'), 'body.appellant.name'],
    ['a line break in a name', (b: any) => (b.proposedMutual.name = 'Passport\nServices Mutual'), 'body.proposedMutual.name'],
    ['a C1 control character in a name', (b: any) => (b.parentBody.name = 'HM Passport\u0085Office'), 'body.parentBody.name'],
    ['NUL in free text', (b: any) => (b.businessCaseSummary = 'A mutual.\u0000'), 'body.businessCaseSummary'],
    ['a bell in free text', (b: any) => (b.businessCaseSummary = 'A mutual.\u0007'), 'body.businessCaseSummary'],
  ] as const) {
    it(`refuses ${what} with 400 naming ${field}, and writes nothing`, async () => {
      const before = await databaseFingerprint([]);
      const response = await openWith(change);
      expectProblem(response, 400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).to.include(field);
      expect(await databaseFingerprint([])).to.deep.equal(before);
    });
  }

  it('keeps line breaks and tabs in free text', async () => {
    const summary = 'First paragraph.\r\n\r\nSecond:\tindented.\nThird.';
    const response = await openWith((b) => (b.businessCaseSummary = summary));
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body.businessCaseSummary).to.equal(summary);
  });

  for (const query of ['q=a%00b', 'q=a%01b', 'arbiterId=arb%00', 'arbiterId=arb%1B1', 'cursor=%00', 'department=HO%00']) {
    it(`refuses GET /v1/appeals?${query} with 400 naming the parameter`, async () => {
      const response = await harness().api('GET', `/v1/appeals?${query}`, { token: people.caseworker });
      expectProblem(response, 400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).to.include(`query.${query.split('=')[0]}`);
    });
  }

  it('takes SQL and traversal in an Idempotency-Key as data: the appeal opens once and a repeat replays it', async () => {
    for (const key of ["';DROP/**/TABLE/**/appeals;--", "1'||pg_sleep(5)||'", '../../../../etc/passwd', '{{7*7}}', '%00', '$(reboot)']) {
      const body = submission(people.department);
      const first = await harness().api('POST', '/v1/appeals', { token: people.caseworker, body, headers: { 'idempotency-key': key } });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      const again = await harness().api('POST', '/v1/appeals', { token: people.caseworker, body, headers: { 'idempotency-key': key } });
      expect(again.status).to.equal(201);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(again.body.id).to.equal(first.body.id);
    }
  });

  it('never echoes an X-Request-Id that is not a plain token: the answer gets a fresh one', async () => {
    for (const given of ["' OR '1'='1", '../../etc/passwd', '<script>', 'x'.repeat(101)]) {
      const response = await harness().api('GET', '/v1/departments', { token: people.caseworker, headers: { 'x-request-id': given } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it('refuses control characters in the bodies of actions too (400 naming the field, nothing written)', async () => {
    const appeal = await openAppeal(people);
    const before = await databaseFingerprint([appeal.id]);
    const response = await harness().api('POST', `/v1/appeals/${appeal.id}/withdraw`, { token: people.caseworker, body: { reason: 'Gone\u0008' } });
    expectProblem(response, 400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).to.include('body.reason');
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
  });
});

describe('API: bodies refused before JSON.parse (not UTF-8, too deep, a key twice)', () => {
  let people: People;
  before(async () => {
    people = await peopleFor();
  });

  const json = (token: string): [string, string][] => [['Authorization', `Bearer ${token}`], ['Content-Type', 'application/json']];

  it('refuses a body that is not valid UTF-8 with 400 problem+json, and writes nothing (raw socket)', async () => {
    const before = await databaseFingerprint([]);
    const text = JSON.stringify({ ...submission(people.department), businessCaseSummary: 'A mutual: XX' });
    const [head, tail] = text.split('XX');
    for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf]]) {
      const body = Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]);
      const response = await rawApi({ method: 'POST', path: '/v1/appeals', headers: json(people.caseworker), body });
      expectProblem(response, 400);
      expect(response.body.detail).to.match(/UTF-8/);
    }
    expect(await databaseFingerprint([])).to.deep.equal(before);
  });

  it('refuses a body nested deeper than 16 levels before parsing it (400), however large', async () => {
    const appeal = await openAppeal(people);
    const before = await databaseFingerprint([appeal.id]);
    for (const depth of [17, 30_000]) {
      const body = `{"reason":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const response = await harness().api('POST', `/v1/appeals/${appeal.id}/withdraw`, { token: people.caseworker, body });
      expectProblem(response, 400);
      expect(response.body.detail).to.match(/nested deeper than 16 levels/);
    }
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
  });

  it('refuses an object that names a key twice (400), whichever value comes last, and writes nothing', async () => {
    const appeal = await openAppeal(people);
    const before = await databaseFingerprint([appeal.id]);
    for (const body of ['{"position":"contest","statement":"No.","position":"concede"}', '{"position":"concede","statement":"Yes.","statement":"No."}']) {
      const response = await harness().api('POST', `/v1/appeals/${appeal.id}/manager-response`, { token: people.manager, body });
      expectProblem(response, 400);
      expect(response.body.detail).to.match(/appears twice/);
    }
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const body = JSON.stringify({ reason: 'Gone.' });
    for (const charset of ['utf-16', 'utf-16le', 'latin1']) {
      const response = await harness().api('POST', `/v1/appeals/${randomUUID()}/withdraw`, {
        token: people.caseworker,
        body,
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expectProblem(response, 415);
    }
  });
});

describe('API: header blocks that Node refuses before Express sees them (raw sockets)', () => {
  /** The headers helmet sets on an ordinary answer, to compare with the answers Node's parser provokes. */
  async function securityHeaders(): Promise<Record<string, string>> {
    const ordinary = await harness().api('GET', '/healthz');
    const names = ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy'];
    return Object.fromEntries(names.map((name) => [name, ordinary.headers.get(name) ?? '(none)']));
  }

  for (const [what, request, status] of [
    ['header block over Node\'s limit', { method: 'GET', path: '/v1/appeals', headers: [['X-Padding', 'x'.repeat(20_000)]] }, 431],
    ['many headers over Node\'s limit', { method: 'GET', path: '/v1/departments', headers: Array.from({ length: 2_000 }, (_, i) => [`X-H${i}`, 'yyyyyyyyyy']) }, 431],
    ['obs-fold (a header continued on the next line)', { method: 'GET', path: '/v1/departments', headers: [['X-Folded', 'first\r\n second']] }, 400],
    [
      'Content-Length with Transfer-Encoding',
      { method: 'POST', path: '/v1/appeals', headers: [['Content-Type', 'application/json'], ['Content-Length', '2'], ['Transfer-Encoding', 'chunked']], body: '2\r\n{}\r\n0\r\n\r\n', noContentLength: true },
      400,
    ],
    ['NUL in a header value', { method: 'GET', path: '/v1/departments', headers: [['X-Request-Id', 'a\u0000b']] }, 400],
    ['a request line that is not HTTP', { method: 'GET', path: '/v1/departments HTTP/9.9 extra', headers: [] }, 400],
  ] as const) {
    it(`answers a ${what} with ${status} problem+json, a request id and the security headers`, async () => {
      const response = await rawApi(request as RawRequest);
      expectProblem(response, status);
      expect(response.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      expect(response.body.requestId).to.equal(response.headers.get('x-request-id'));
      const expected = await securityHeaders();
      for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name), name).to.equal(value);
      expect(response.headers.get('connection')).to.equal('close');
    });
  }
});

/** FUZZ_SEED (a tooling variable) repeats a run: every property's seed derives from it. */
const SEED = fuzzSeed(process.env.FUZZ_SEED);
const WRITE_RUNS = 150;
const READ_RUNS = 80;
const MIN_REQUESTS = 2_000;
const HEADER_LIMIT = 16 * 1024;

function fuzzSeed(given: string | undefined): number {
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  if (!/^-?\d+$/.test(given)) throw new Error(`FUZZ_SEED must be an integer, not ${JSON.stringify(given)}`);
  return Number(given);
}

/** Every operation of the document the API serves, known when the tests are defined. */
const OPERATIONS = Object.entries(createOpenApiDocument().paths ?? {}).flatMap(([template, item]) =>
  Object.entries(item as Record<string, { operationId: string; security?: unknown[] }>).map(([method, operation]) => ({
    template,
    method: method.toUpperCase(),
    operationId: operation.operationId,
    authenticated: (operation.security ?? []).length > 0,
  })),
);
type Operation = (typeof OPERATIONS)[number];

/** How an operation is called successfully: a path, a caller allowed to call it, and a valid body. */
interface Target {
  params: Record<string, string>;
  token?: string;
  body?: { [key: string]: Json };
  schema?: z.ZodType;
  /** Body fields with a format or a fixed set of values (enums, dates, emails, codes). */
  constrained?: string[][];
  /** Whether the query string is checked (NoQuerySchema): any parameter is a 400. */
  noQuery?: boolean;
  /**
   * The call takes a multipart body, which the JSON body cases cannot build: its path, query and
   * headers are fuzzed, sent without a body (so at best refused with 415). test/documents.test.ts
   * covers the multipart bodies themselves, each refusal with its status.
   */
  multipart?: true;
}

/** A hostile request to one operation; `expect` says which answers are right besides "no 5xx". */
interface Hostile {
  what: string;
  params?: Record<string, string>;
  query?: string;
  headers?: [string, string][];
  /** A token whose claims do not fit, or a whole Authorization header; the target's token otherwise. */
  auth?: { claims: Record<string, unknown> } | { header: string };
  body?: BodyCase;
  raw?: Pick<RawRequest, 'headers' | 'body' | 'noContentLength'>;
  expect: 'refused' | 'any' | number;
  sent?: string[];
}

const pathOf = (template: string, params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
const headerSafe = (text: string) => text.replace(/[\r\n]/g, '');

/** A path parameter that names nothing: traversal, SQL, bad escapes, odd characters, encoded or not. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter((s) => s !== '').map(percentEncode), // an empty id would be another route: /v1/appeals/ is the list
  fc.constantFrom(...RAW_ENCODED, '..', '.', '...', '..;', '%2e%2e', '..%2f..%2f..%2fetc%2fpasswd', '__proto__', 'constructor'),
  fc.constantFrom(...SQL, ...TRAVERSAL).map(percentEncode),
);

const QUERY_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__[admin]', 'q', 'status', 'limit', 'cursor', 'department', 'arbiterId', 'overdue'];
const hostileQuery: fc.Arbitrary<{ query: string; sent: string[] }> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileString), fc.oneof(hostileString, fc.constantFrom('1e309', '-0', '0x10', '', '101', 'true'))), { minLength: 1, maxLength: 3 })
  .map((pairs) => ({ query: pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&'), sent: pairs.flat() }));

/** Header blocks over Node's limit: one huge header, or many small ones. */
const oversized: fc.Arbitrary<{ what: string; headers: [string, string][] }> = fc.oneof(
  fc.integer({ min: HEADER_LIMIT + 100, max: 64 * 1024 }).chain((size) =>
    fc.constantFrom('X-Padding', 'Idempotency-Key', 'X-Request-Id', 'Authorization', 'Cookie').map((name) => ({ what: `${name} of ${size} bytes`, headers: [[name, 'x'.repeat(size)]] as [string, string][] })),
  ),
  fc.integer({ min: 700, max: 3_000 }).map((count) => ({ what: `${count} headers`, headers: Array.from({ length: count }, (_, i) => [`X-H${i}`, 'abcdefghijklmnopqrst'] as [string, string]) })),
);

/**
 * Requests Node's parser refuses: obs-fold, Content-Length with Transfer-Encoding and other framing
 * faults. A fault in the body is found only once the body is read: a read may have answered already.
 */
const unparsable: fc.Arbitrary<{ what: string; inBody?: true } & Pick<RawRequest, 'headers' | 'body' | 'noContentLength'>> = fc.constantFrom(
  { what: 'obs-fold', headers: [['X-Folded', 'first\r\n second']] as [string, string][] },
  { what: 'Content-Length with Transfer-Encoding', headers: [['Content-Length', '2'], ['Transfer-Encoding', 'chunked']] as [string, string][], body: '2\r\n{}\r\n0\r\n\r\n', noContentLength: true },
  { what: 'two Content-Lengths', headers: [['Content-Length', '2'], ['Content-Length', '3']] as [string, string][], body: '{}', noContentLength: true },
  { what: 'NUL in a header', headers: [['X-Request-Id', 'a\u0000b']] as [string, string][] },
  { what: 'a bell in a header', headers: [['Idempotency-Key', 'a\u0007b']] as [string, string][] },
  { what: 'a space before a colon', headers: [['X-Spaced ', 'value']] as [string, string][] },
  { what: 'a bare LF', headers: [['X-One', 'a\nX-Two: b']] as [string, string][] },
  { what: 'a bad chunk size', headers: [['Transfer-Encoding', 'chunked']] as [string, string][], body: 'zz\r\n{}\r\n0\r\n\r\n', noContentLength: true, inBody: true as const },
);

function hostileRequests(operation: Operation, target: Target): fc.Arbitrary<Hostile> {
  const write = target.body !== undefined;
  // A multipart call is sent no body here: whatever else the request holds, it must be refused.
  const refusedAnyway = write || target.multipart === true;
  const names = Object.keys(target.params);
  const kinds: fc.WeightedArbitrary<Hostile>[] = [
    {
      weight: 1,
      // 400, or 431 for a query string over Node's header limit
      arbitrary: hostileQuery.map(({ query, sent }) => ({ what: `query ${query.slice(0, 80)}`, query, sent, expect: refusedAnyway || target.noQuery ? 'refused' : 'any' })),
    },
    { weight: 1, arbitrary: oversized.map(({ what, headers }) => ({ what, headers, expect: 431 })) },
    { weight: 1, arbitrary: unparsable.map(({ what, inBody, ...raw }) => ({ what, raw, expect: inBody && !write ? 'any' : 400 })) },
    {
      // Hostile but well-formed headers: harmless to a read; a write gets a defective body too, so nothing it sends is acted on.
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('Idempotency-Key', 'X-Request-Id', 'X-Forwarded-For', 'Referer'), hostileString, write ? bodyCases(target.body!, target.constrained ?? [], target.schema!) : fc.constant(undefined))
        .map(([name, value, body]) => ({ what: `${name}: ${JSON.stringify(value).slice(0, 60)}`, headers: [[name, headerSafe(value)]], body, sent: [value], expect: refusedAnyway ? 'refused' : 'any' })),
    },
  ];
  if (write) {
    kinds.push({ weight: 6, arbitrary: bodyCases(target.body!, target.constrained ?? [], target.schema!).map((body) => ({ what: body.what, body, sent: body.sent, expect: 'refused' })) });
  }
  if (names.length > 0) {
    kinds.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), hostileSegment)
        .map(([name, segment]) => ({ what: `{${name}} = ${segment.slice(0, 80)}`, params: { ...target.params, [name]: segment }, sent: [segment], expect: 'refused' })),
    });
  }
  if (operation.authenticated) {
    kinds.push(
      { weight: 2, arbitrary: unfitClaims.map(({ what, claims }) => ({ what: `token with a ${what}: ${JSON.stringify(claims).slice(0, 80)}`, auth: { claims }, expect: 401 })) },
      { weight: 1, arbitrary: unfitAuthorization.map((header) => ({ what: `Authorization: ${header.slice(0, 60)}`, auth: { header }, expect: 401 })) },
    );
  }
  return fc.oneof(...kinds);
}

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const signed = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(secret);

async function send(operation: Operation, target: Target, request: Hostile): Promise<ApiResponse> {
  const path = pathOf(operation.template, request.params ?? target.params) + (request.query ? `?${request.query}` : '');
  const authorization = !request.auth ? (target.token && `Bearer ${target.token}`) : 'claims' in request.auth ? `Bearer ${await signed(request.auth.claims)}` : request.auth.header;
  const headers: [string, string][] = authorization ? [['Authorization', authorization]] : [];
  const body = request.raw?.body ?? request.body?.body ?? (target.body ? JSON.stringify(target.body) : undefined);
  if (body !== undefined && !request.raw?.noContentLength && !request.body?.headers?.some(([name]) => name === 'Content-Type')) headers.push(['Content-Type', 'application/json']);
  headers.push(...(request.body?.headers ?? []), ...(request.headers ?? []), ...(request.raw?.headers ?? []));
  return rawApi({ method: operation.method, path, headers, body, noContentLength: request.raw?.noContentLength });
}

/** Everything every answer must be, and what this request's kind must get. */
function check(operation: Operation, request: Hostile, response: ApiResponse): void {
  const context = `${operation.method} ${operation.template}, ${request.what}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
  // Readiness answers 503 (its documented body, not a failure) only if a dependency is slow to answer.
  if (operation.operationId !== 'readiness') expect(response.status, context).to.be.below(500);
  if (request.expect === 'refused') expect(response.status, context).to.be.within(400, 499);
  if (typeof request.expect === 'number') expect(response.status, context).to.equal(request.expect);
  if (response.status >= 400) expect(response.body.status, context).to.equal(response.status);
  expect(response.headers.get('x-request-id'), context).to.match(/^[\w.-]{1,100}$/);
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  expect(leakIn(text, request.sent ?? []), context).to.equal(undefined);
}

describe(`API: hostile input to every operation of /openapi.json (property-based, seed ${SEED})`, function () {
  this.timeout(300_000);
  let people: People;
  let targets: Record<string, Target>;
  let appeals: AppealView[];
  const statuses = new Map<number, number>();
  let sent = 0;
  let started = 0;
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  before(async () => {
    process.stderr.write(`[fuzz] seed ${SEED}: repeat this run with FUZZ_SEED=${SEED}\n`);
    started = Date.now();
    people = await peopleFor();
    const atResponse = await openAppeal(people);
    const atHearing = await appealAt(people, 'awaiting_hearing');
    const scheduled = await appealAt(people, 'hearing_scheduled');
    const deciding = await appealAt(people, 'awaiting_decision');
    const complying = await appealAt(people, 'awaiting_compliance');
    await steps.assignArbiter(people, atHearing.id);
    appeals = [atResponse, atHearing, scheduled, deciding, complying];
    const checkpoint = await harness().api('POST', '/v1/checkpoints', { token: people.admin });
    expect(checkpoint.status, JSON.stringify(checkpoint.body)).to.equal(201);
    const evidence = form({ category: 'other', title: 'Evidence' }, { name: 'evidence.csv', bytes: Buffer.from('a,b\n1,2\n') });
    const uploaded = await harness().api('POST', `/v1/appeals/${atResponse.id}/documents`, { token: people.caseworker, body: evidence });
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(201);
    targets = targetsFor(people, { atResponse, atHearing, scheduled, deciding, complying }, { checkpointId: checkpoint.body.id, documentId: uploaded.body.id });
  });

  after(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`[fuzz] seed ${SEED}: ${sent} requests to ${OPERATIONS.length} operations in ${seconds} s; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
  });

  it('the leak check finds a stack trace, a file, a database error and SQL, but not what the request sent', () => {
    expect(leakIn('{"detail":"TypeError: x\\n    at send (/srv/api/app.js:10:5)"}', [])).to.equal('a stack frame');
    expect(leakIn('{"detail":"in node_modules/pg/lib/client.js"}', [])).to.equal('a source file');
    expect(leakIn('{"detail":"invalid byte sequence for encoding \\"UTF8\\": 0x00"}', [])).to.equal('a database error');
    expect(leakIn('{"detail":"SELECT a.id FROM appeals a WHERE a.department_code = $1"}', [])).to.equal('SQL');
    expect(leakIn('{"detail":"Unrecognized key: \\"select x from y\\""}', ['select x from y'])).to.equal(undefined);
  });

  it('has a caller and a valid request for every operation the document lists', () => {
    expect(Object.keys(targets)).to.have.members(OPERATIONS.map((o) => o.operationId));
    for (const operation of OPERATIONS) {
      const target = targets[operation.operationId];
      expect(Object.keys(target.params), operation.operationId).to.have.members([...operation.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      if (target.schema) expect(target.schema.safeParse(target.body).success, operation.operationId).to.equal(true);
    }
  });

  for (const [index, operation] of OPERATIONS.entries()) {
    const write = operation.method !== 'GET';
    const runs = write ? WRITE_RUNS : READ_RUNS;
    it(`${operation.method} ${operation.template}: ${runs} hostile requests, no 5xx, conforming answers, no leaks${write ? ', nothing written' : ''}`, async () => {
      const target = targets[operation.operationId];
      const before = await databaseFingerprint(appeals.map((a) => a.id));
      await fc.assert(
        fc.asyncProperty(hostileRequests(operation, target), async (request) => {
          const response = await send(operation, target, request);
          sent += 1;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          check(operation, request, response);
        }),
        { seed: SEED + index, numRuns: runs },
      );
      expect(await databaseFingerprint(appeals.map((a) => a.id)), operation.operationId).to.deep.equal(before);
      expect(Object.getOwnPropertyNames(Object.prototype).sort(), 'Object.prototype').to.deep.equal(prototypeBefore);
      expect(({} as Record<string, unknown>).admin, 'Object.prototype.admin').to.equal(undefined);
    });
  }

  it(`sent at least ${MIN_REQUESTS} requests in all`, () => {
    expect(sent).to.be.at.least(MIN_REQUESTS);
  });
});

function targetsFor(
  people: People,
  at: Record<'atResponse' | 'atHearing' | 'scheduled' | 'deciding' | 'complying', AppealView>,
  { checkpointId, documentId }: { checkpointId: number; documentId: string },
): Record<string, Target> {
  const read = (token: string | undefined, params: Record<string, string> = {}, noQuery = true): Target => ({ token, params, noQuery });
  const write = (token: string, params: Record<string, string>, body: { [key: string]: Json }, schema: z.ZodType, constrained: string[][] = []): Target => ({
    token,
    params,
    body,
    schema,
    constrained,
    noQuery: true,
  });
  const { parentBody, appellant, proposedMutual, ...rest } = submission(people.department) as any;
  const id = (appeal: AppealView) => ({ id: appeal.id });
  return {
    openAppeal: write(people.caseworker, {}, { ...rest, parentBody, appellant, proposedMutual }, AppealSubmissionSchema, [['department'], ['groundsOfAppeal'], ['requestSubmittedOn'], ['parentBody', 'managerEmail'], ['appellant', 'email']]),
    listAppeals: read(people.caseworker, {}, false),
    getAppeal: read(people.caseworker, id(at.atResponse)),
    getAppealTimeline: read(people.manager, id(at.atResponse)),
    getAppealPolicy: read(people.arbiter, id(at.deciding)),
    getAppealNotifications: read(people.admin, id(at.atResponse)),
    respondAsManager: write(people.manager, id(at.atResponse), { position: 'contest', statement: 'We considered it.' }, ManagerResponseSchema, [['position']]),
    assignArbiter: write(people.caseworker, id(at.atHearing), { arbiterId: people.otherArbiterId }, ArbiterAssignmentSchema),
    scheduleHearing: write(people.caseworker, id(at.atHearing), { scheduledFor: '2031-03-04T10:00:00Z', location: 'Room 1' }, HearingScheduleSchema, [['scheduledFor']]),
    recordHearingOutcome: write(people.arbiter, id(at.scheduled), { outcome: 'held' }, HearingOutcomeSchema, [['outcome']]),
    decide: write(people.arbiter, id(at.deciding), { outcome: 'overrule', assessment: STRONG_CASE, reasons: 'Sound.' }, DecisionSchema, [['outcome']]),
    confirmCompliance: write(people.manager, id(at.complying), { statement: 'Done.' }, ComplianceSchema),
    withdrawAppeal: write(people.caseworker, id(at.atResponse), { reason: 'No longer wanted.' }, WithdrawalSchema),
    extendDeadline: write(people.caseworker, { id: at.atResponse.id, kind: 'managerResponse' }, { until: '2031-01-01T12:00:00Z', reason: 'Leave.' }, ExtensionSchema, [['until']]),
    uploadDocument: { token: people.caseworker, params: id(at.atResponse), noQuery: true, multipart: true },
    listDocuments: read(people.arbiter, id(at.deciding)),
    downloadDocument: read(people.manager, { id: at.atResponse.id, docId: documentId }),
    verifyDocument: read(people.admin, { id: at.atResponse.id, docId: documentId }),
    getHearingBundle: read(people.caseworker, id(at.atResponse)),
    decisionLetterHtml: read(people.manager, id(at.complying)),
    listArbiters: read(people.admin),
    registerArbiter: write(people.admin, {}, { id: 'fuzz-arbiter', name: 'Fuzzy Arbiter', email: 'fuzzy@example.org' }, ArbiterRegistrationSchema, [['email']]),
    listDepartments: read(people.arbiter),
    createDepartment: write(people.admin, {}, { code: 'FUZZ', name: 'Department of Fuzz' }, NewDepartmentSchema, [['code']]),
    replacePolicy: write(
      people.admin,
      { code: people.department },
      JSON.parse(JSON.stringify({ ...DEFAULT_POLICY, managerResponse: { amount: 10, unit: 'working_days' } })),
      PolicySchema,
      [['calendar'], ['managerResponse', 'unit'], ['hearingWithin', 'unit']],
    ),
    previewPolicy: write(people.admin, { code: people.department }, JSON.parse(JSON.stringify(DEFAULT_POLICY)), PolicySchema, [['calendar'], ['managerResponse', 'unit']]),
    replaceGuidance: write(people.admin, { code: people.department }, { guidance: 'Meet the staff.' }, GuidanceSchema),
    publishArbiter: write(people.admin, { id: people.arbiterId }, { publicName: 'Arbiter One' }, ArbiterPublicationSchema),
    unpublishArbiter: read(people.admin, { id: 'nobody-in-the-register' }),
    publicDepartments: read(undefined),
    publicDepartment: read(undefined, { code: people.department }),
    publicDecisions: read(undefined, {}, false),
    publicDecision: read(undefined, { reference: at.complying.reference }),
    publicFeed: read(undefined),
    getCalendars: read(people.caseworker),
    // Scotland lists one date twice, so no defect the fuzzer makes can leave it a valid calendar.
    replaceCalendars: write(
      people.admin,
      {},
      {
        reason: 'Fuzz',
        holidays: {
          'england-and-wales': { division: 'england-and-wales', events: [{ title: 'Christmas Day', date: '2026-12-25', notes: '', bunting: true }] },
          scotland: {
            division: 'scotland',
            events: [
              { title: 'St Andrew’s Day', date: '2026-11-30', notes: '', bunting: true },
              { title: 'St Andrew’s Day', date: '2026-11-30', notes: '', bunting: true },
            ],
          },
          'northern-ireland': { division: 'northern-ireland', events: [{ title: 'St Patrick’s Day', date: '2026-03-17', notes: '', bunting: true }] },
        },
      },
      CalendarReplacementSchema,
      [['holidays', 'scotland', 'events', '0', 'date'], ['holidays', 'scotland', 'events', '1', 'date'], ['holidays', 'scotland', 'division']],
    ),
    // Already a holiday in Scotland: refused with 409 unless a defect is refused first.
    proclaimHoliday: write(people.admin, { division: 'scotland' }, { date: '2026-11-30', title: 'Fuzz', reason: 'Fuzz' }, ProclaimedHolidaySchema, [['date']]),
    cancelHoliday: read(people.admin, { division: 'scotland', date: '2026-12-01' }, false),
    summaryReport: read(people.caseworker),
    makeCheckpoint: read(people.admin),
    listCheckpoints: read(undefined, {}, false),
    getCheckpoint: read(undefined, { id: String(checkpointId) }),
    getCheckpointProof: read(undefined, { id: String(checkpointId), reference: at.atResponse.reference }),
    publicStatistics: read(undefined, {}, false),
    publicStatisticsCsv: read(undefined, {}, false),
    publicStatisticsDictionary: read(undefined),
    liveness: read(undefined, {}, false),
    readiness: read(undefined, {}, false),
    metrics: read(undefined, {}, false),
  };
}
