/**
 * Property: no input makes a write call fail badly. For every write route, fast-check sends 500
 * generated malformed requests (bodies with one defect each, non-JSON and non-object bodies, wrong
 * content types and encodings, bad Idempotency-Keys and tokens, unknown query parameters, bad
 * path parameters) from a caller who could otherwise make the call. Every answer is a 4xx
 * problem+json (and conforms to the OpenAPI document), and the database is unchanged.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
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
import { ArbiterRegistrationSchema } from '../api/arbiters/schemas';
import { NewDepartmentSchema, PolicySchema } from '../api/departments/schemas';
import { DEFAULT_POLICY } from '../domain/policy';
import type { AppealView } from '../workflows/shared';
import { harness } from './harness';
import { appealAt, openAppeal, STRONG_CASE, steps, submission } from './support/appeals';
import { databaseFingerprint, expectProblem, peopleFor, type People } from './support/api';
import { rawApi, type RawRequest } from './support/raw-http';

const RUNS_PER_ROUTE = 500;

/** The write routes, in the order `routes` builds them (so each gets a test of its own name). */
const WRITE_ROUTES = [
  'POST /v1/appeals',
  'POST /v1/appeals/{id}/manager-response',
  'POST /v1/appeals/{id}/arbiter',
  'POST /v1/appeals/{id}/hearing',
  'POST /v1/appeals/{id}/hearing/outcome',
  'POST /v1/appeals/{id}/decision',
  'POST /v1/appeals/{id}/compliance',
  'POST /v1/appeals/{id}/withdraw',
  'POST /v1/appeals/{id}/deadlines/{kind}/extend',
  'POST /v1/arbiters',
  'POST /v1/departments',
  'PUT /v1/departments/{code}/policy',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A write route, a caller allowed to make it and a body that would succeed. */
interface WriteRoute {
  name: string;
  method: string;
  path: string;
  /** The path with a malformed or unknown parameter instead. */
  badPaths: string[];
  token: string;
  body: { [key: string]: Json };
  /** Paths of strings with a format or a fixed set of values (enums, dates, emails, codes). */
  constrained: string[][];
  /** Whether the call honours (and so checks) an Idempotency-Key. */
  idempotent?: boolean;
}

interface Malformed {
  what: string;
  path?: string;
  body: unknown;
  headers?: Record<string, string>;
  query?: string;
  token?: string | null;
}

/** Every place in a value: the path to it, what is there, and whether it is a field of an object. */
function places(value: Json, path: string[] = [], field = false): { path: string[]; value: Json; field: boolean }[] {
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

const typeOf = (value: Json) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A JSON value of another type than `value`: always wrong where `value` is right. */
const otherType = (value: Json): fc.Arbitrary<Json> => (fc.jsonValue() as fc.Arbitrary<Json>).filter((candidate) => typeOf(candidate) !== typeOf(value));

/** One defect at one place of a valid body; every defect makes it invalid. */
function defectiveBody(route: WriteRoute): fc.Arbitrary<Malformed> {
  const all = places(route.body);
  return fc.nat({ max: all.length - 1 }).chain((index) => {
    const { path, value, field } = all[index];
    const where = path.join('.') || '(body)';
    const defects: fc.Arbitrary<Malformed>[] = [
      otherType(value).map((v) => ({ what: `wrong type at ${where}`, body: replaceAt(route.body, path, v) })),
    ];
    // Every field of the seeds is required (an array may lose an item and stay valid).
    if (field) defects.push(fc.constant({ what: `missing ${where}`, body: replaceAt(route.body, path, undefined) }));
    if (typeof value === 'string') {
      defects.push(
        fc.constantFrom('', '   ', 'a\u0000b', '\ud800', 'x'.repeat(60_000)).map((v) => ({ what: `bad string at ${where}`, body: replaceAt(route.body, path, v) })),
      );
      if (route.constrained.some((c) => c.join('.') === path.join('.'))) {
        defects.push(fc.string().map((s) => ({ what: `unknown value at ${where}`, body: replaceAt(route.body, path, `~${s}`) })));
      }
    }
    if (typeof value === 'number') {
      defects.push(
        fc.constantFrom(value + 0.5, -1 - value, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2).map((v) => ({ what: `out of range at ${where}`, body: replaceAt(route.body, path, v) })),
      );
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      defects.push(
        fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue()).map(([key, v]) => ({
          what: `unknown field at ${where}`,
          body: replaceAt(route.body, path, { ...value, [`x_${key}`]: v as Json }),
        })),
      );
    }
    return fc.oneof(...defects);
  });
}

function malformed(route: WriteRoute): fc.Arbitrary<Malformed> {
  const valid = route.body;
  return fc.oneof(
    { weight: 6, arbitrary: defectiveBody(route) },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue()
        .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
        .map((body) => ({ what: 'not an object', body: JSON.stringify(body) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .string()
        .filter((text) => {
          try {
            JSON.parse(text);
            return false;
          } catch {
            return true;
          }
        })
        .map((body) => ({ what: 'not JSON', body: body === '' ? '{' : body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
        )
        .map((type) => ({ what: `content type ${type}`, body: JSON.stringify(valid), headers: { 'content-type': type } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('gzip', 'deflate', 'br', 'compress')
        .map((encoding) => ({ what: `content encoding ${encoding}`, body: JSON.stringify(valid), headers: { 'content-type': 'application/json', 'content-encoding': encoding } })),
    },
    {
      weight: route.idempotent ? 1 : 0,
      arbitrary: fc
        .oneof(fc.constantFrom('', 'has space', 'x'.repeat(201), 'tab\there'), fc.string({ minLength: 201, maxLength: 300 }).map((s) => s.replace(/[^\x21-\x7e]/g, 'k')))
        .map((key) => ({ what: 'bad Idempotency-Key', body: valid, headers: { 'idempotency-key': key } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(null, 'garbage', 'a.b.c', `${'x'.repeat(20)}.${'y'.repeat(20)}.z`)
        .map((token) => ({ what: 'bad token', body: valid, token })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ maxLength: 30 }))
        .map(([key, value]) => ({ what: 'query string', body: valid, query: `${encodeURIComponent(key)}=${encodeURIComponent(value)}` })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...route.badPaths).map((path) => ({ what: `path ${path}`, path, body: valid })) },
  );
}

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

describe('API: malformed input to every write route (property-based)', function () {
  this.timeout(300_000);
  let people: People;
  let routes: WriteRoute[];
  let appeals: AppealView[];

  before(async () => {
    people = await peopleFor();
    const atResponse = await openAppeal(people);
    const atHearing = await appealAt(people, 'awaiting_hearing');
    const scheduled = await appealAt(people, 'hearing_scheduled');
    const deciding = await appealAt(people, 'awaiting_decision');
    const complying = await appealAt(people, 'awaiting_compliance');
    await steps.assignArbiter(people, atHearing.id);
    appeals = [atResponse, atHearing, scheduled, deciding, complying];
    const action = (name: string, appeal: AppealView, token: string, body: { [key: string]: Json }, constrained: string[][] = []): WriteRoute => ({
      name: `POST /v1/appeals/{id}/${name}`,
      method: 'POST',
      path: `/v1/appeals/${appeal.id}/${name}`,
      badPaths: [`/v1/appeals/not-a-uuid/${name}`, `/v1/appeals/${randomUUID()}/${name}`, `/v1/appeals/%E0%A4%A/${name}`],
      token,
      body,
      constrained,
      idempotent: true,
    });
    const { parentBody, appellant, proposedMutual, ...rest } = submission(people.department) as any;
    routes = [
      {
        name: 'POST /v1/appeals',
        method: 'POST',
        path: '/v1/appeals',
        badPaths: [`/v1/appeals/${randomUUID()}`, '/v1/appealz'],
        token: people.caseworker,
        body: { ...rest, parentBody, appellant, proposedMutual },
        constrained: [['department'], ['groundsOfAppeal'], ['requestSubmittedOn'], ['parentBody', 'managerEmail'], ['appellant', 'email']],
        idempotent: true,
      },
      action('manager-response', atResponse, people.manager, { position: 'contest', statement: 'We considered it.' }, [['position']]),
      action('arbiter', atHearing, people.caseworker, { arbiterId: people.otherArbiterId }),
      action('hearing', atHearing, people.caseworker, { scheduledFor: '2031-03-04T10:00:00Z', location: 'Room 1' }, [['scheduledFor']]),
      action('hearing/outcome', scheduled, people.arbiter, { outcome: 'held' }, [['outcome']]),
      action('decision', deciding, people.arbiter, { outcome: 'overrule', assessment: STRONG_CASE, reasons: 'Sound.' }, [['outcome']]),
      action('compliance', complying, people.manager, { statement: 'Done.' }),
      action('withdraw', atResponse, people.caseworker, { reason: 'No longer wanted.' }),
      {
        ...action('deadlines/managerResponse/extend', atResponse, people.caseworker, { until: '2031-01-01T12:00:00Z', reason: 'Leave.' }, [['until']]),
        name: 'POST /v1/appeals/{id}/deadlines/{kind}/extend',
        badPaths: [`/v1/appeals/${atResponse.id}/deadlines/lunch/extend`, `/v1/appeals/nope/deadlines/managerResponse/extend`],
      },
      {
        name: 'POST /v1/arbiters',
        method: 'POST',
        path: '/v1/arbiters',
        badPaths: ['/v1/arbiters/x'],
        token: people.admin,
        body: { id: 'fuzz-arbiter', name: 'Fuzzy Arbiter', email: 'fuzzy@example.org' },
        constrained: [['email']],
      },
      {
        name: 'POST /v1/departments',
        method: 'POST',
        path: '/v1/departments',
        badPaths: ['/v1/departments/x'],
        token: people.admin,
        body: { code: 'FUZZ', name: 'Department of Fuzz' },
        constrained: [['code']],
      },
      {
        name: 'PUT /v1/departments/{code}/policy',
        method: 'PUT',
        path: `/v1/departments/${people.department}/policy`,
        badPaths: ['/v1/departments/lower/policy', '/v1/departments/NOWHERE/policy', '/v1/departments/%ZZ/policy'],
        token: people.admin,
        body: JSON.parse(JSON.stringify({ ...DEFAULT_POLICY, managerResponse: { amount: 10, unit: 'working_days' } })),
        constrained: [['calendar'], ['managerResponse', 'unit'], ['hearingWithin', 'unit']],
      },
    ];
  });

  it('each valid body used as a seed would be accepted as it stands (so refusals come from the defects)', () => {
    // Checked without sending: the seeds are valid by the same schemas; a POST would change the appeal.
    const schemas = [
      AppealSubmissionSchema, ManagerResponseSchema, ArbiterAssignmentSchema, HearingScheduleSchema, HearingOutcomeSchema,
      DecisionSchema, ComplianceSchema, WithdrawalSchema, ExtensionSchema, ArbiterRegistrationSchema, NewDepartmentSchema, PolicySchema,
    ];
    expect(routes.map((route) => route.name)).to.deep.equal(WRITE_ROUTES);
    routes.forEach((route, i) => expect(schemas[i].safeParse(route.body).success, route.name).to.equal(true));
  });

  for (const [index, name] of WRITE_ROUTES.entries()) {
    it(`${name}: ${RUNS_PER_ROUTE} malformed requests, each a 4xx problem+json, nothing written`, async () => {
      const route = routes[index];
      const before = await databaseFingerprint(appeals.map((a) => a.id));
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(malformed(route), async (request) => {
          const token = request.token === null ? undefined : (request.token ?? route.token);
          const path = (request.path ?? route.path) + (request.query ? `?${request.query}` : '');
          const response = await harness().api(route.method, path, { token, body: request.body, headers: request.headers });
          const context = `${route.name}, ${request.what}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
          expect(response.status, context).to.be.within(400, 499);
          expect(response.headers.get('content-type'), context).to.match(/^application\/problem\+json/);
          expect(response.body.status, context).to.equal(response.status);
          seen.set(String(response.status), (seen.get(String(response.status)) ?? 0) + 1);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      expect(await databaseFingerprint(appeals.map((a) => a.id)), route.name).to.deep.equal(before);
      expect([...seen.keys()], `${route.name}: ${JSON.stringify(Object.fromEntries(seen))}`).to.include('400');
    });
  }
});
