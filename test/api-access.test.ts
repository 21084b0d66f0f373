/**
 * The access matrix, generated from the OpenAPI document: every documented call, made by each of
 * seven callers with a request that would succeed for the right caller, answers as DESIGN.md's
 * "HTTP API" and "Identity and access" say: 401 anonymous, 403 a role that may not make the call,
 * 404 an appeal out of the caller's scope (as if it did not exist), success otherwise.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createOpenApiDocument } from '../api/docs';
import { DEFAULT_POLICY } from '../domain/policy';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { appealAt, inAMinute, STRONG_CASE, submission } from './support/appeals';
import { peopleFor, type People } from './support/api';
import { form } from './support/documents';
import { openApi } from './support/openapi';

const CALLERS = ['anonymous', 'caseworker', 'ownManager', 'otherManager', 'assignedArbiter', 'otherArbiter', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

type Expectation = Record<Caller, number>;
const only = (success: number, allowed: Caller[], outOfScope: Caller[] = []): Expectation =>
  Object.fromEntries(
    CALLERS.map((c) => [c, c === 'anonymous' ? 401 : allowed.includes(c) ? success : outOfScope.includes(c) ? 404 : 403]),
  ) as Expectation;
const ANYONE = (status: number): Expectation => Object.fromEntries(CALLERS.map((c) => [c, status])) as Expectation;
const SIGNED_IN = (status: number): Expectation => ({ ...ANYONE(status), anonymous: 401 });
/** Reads of one appeal: everyone signed in, but another department's manager and an unassigned arbiter get 404. */
const SCOPED_READ = only(200, ['caseworker', 'ownManager', 'assignedArbiter', 'admin'], ['otherManager', 'otherArbiter']);

/** What a request needs: an appeal in some status (a fresh one when the call should succeed). */
interface Setup {
  appeal: (status: AppealView['status']) => Promise<AppealView>;
  people: People;
}
type Request = { params?: Record<string, string>; query?: string; body?: unknown };
interface Cell {
  expect: Expectation;
  request: (setup: Setup) => Request | Promise<Request>;
}

const onAppeal =
  (status: AppealView['status'], body?: (p: People) => unknown, params: Record<string, string> = {}): Cell['request'] =>
  async ({ appeal, people }) => ({ params: { id: (await appeal(status)).id, ...params }, body: body?.(people) });

let unusedDays = 0;
/** A date of a year no one counts deadlines in, never used before in this run: a holiday proclaimed on it moves nothing. */
const unusedDate = (): string => new Date(Date.UTC(2150, 0, 1 + unusedDays++)).toISOString().slice(0, 10);

/** A checkpoint holding `appeal`, made once per appeal by an administrator. */
const checkpoints = new Map<string, Promise<{ id: number }>>();
const checkpointHolding = (appeal: AppealView, people: People): Promise<{ id: number }> => {
  if (!checkpoints.has(appeal.id)) checkpoints.set(appeal.id, harness().api('POST', '/v1/checkpoints', { token: people.admin }).then((response) => response.body));
  return checkpoints.get(appeal.id) as Promise<{ id: number }>;
};
const onCheckpoint =
  (withReference: boolean): Cell['request'] =>
  async ({ appeal, people }) => {
    const held = await appeal('awaiting_manager_response');
    const { id } = await checkpointHolding(held, people);
    return { params: { id: String(id), ...(withReference ? { reference: held.reference } : {}) } };
  };
/** A CSV the caseworker uploads, once per appeal: the document the reads of documents ask for. */
const documentsOf = new Map<string, Promise<string>>();
const onDocument: Cell['request'] = async ({ appeal, people }) => {
  const { id } = await appeal('hearing_scheduled');
  if (!documentsOf.has(id)) documentsOf.set(id, harness().api('POST', `/v1/appeals/${id}/documents`, { token: people.caseworker, body: evidence() }).then((r) => r.body.id as string));
  return { params: { id, docId: (await documentsOf.get(id)) as string } };
};
const evidence = () => form({ category: 'other', title: 'Evidence' }, { name: 'evidence.csv', bytes: Buffer.from('a,b\n1,2\n') });

/** DESIGN.md's table, by operationId. */
const MATRIX: Record<string, Cell> = {
  openAppeal: { expect: only(201, ['caseworker']), request: ({ people }) => ({ body: submission(people.department) }) },
  listAppeals: { expect: SIGNED_IN(200), request: () => ({ query: 'limit=5' }) },
  getAppeal: { expect: SCOPED_READ, request: onAppeal('hearing_scheduled') },
  getAppealTimeline: { expect: SCOPED_READ, request: onAppeal('hearing_scheduled') },
  getAppealPolicy: { expect: SCOPED_READ, request: onAppeal('hearing_scheduled') },
  getAppealNotifications: { expect: only(200, ['caseworker', 'admin']), request: onAppeal('hearing_scheduled') },
  respondAsManager: {
    expect: only(200, ['ownManager'], ['otherManager']),
    request: onAppeal('awaiting_manager_response', () => ({ position: 'contest', statement: 'We considered it.' })),
  },
  assignArbiter: { expect: only(200, ['caseworker']), request: onAppeal('awaiting_hearing', (p) => ({ arbiterId: p.arbiterId })) },
  scheduleHearing: {
    expect: only(200, ['caseworker', 'assignedArbiter'], ['otherArbiter']),
    request: onAppeal('hearing_scheduled', () => ({ scheduledFor: inAMinute(), location: 'Room 3' })),
  },
  recordHearingOutcome: {
    expect: only(200, ['assignedArbiter'], ['otherArbiter']),
    request: onAppeal('hearing_scheduled', () => ({ outcome: 'held' })),
  },
  decide: {
    expect: only(200, ['assignedArbiter'], ['otherArbiter']),
    request: onAppeal('awaiting_decision', () => ({ outcome: 'overrule', assessment: STRONG_CASE, reasons: 'Sound.' })),
  },
  confirmCompliance: {
    expect: only(200, ['ownManager'], ['otherManager']),
    request: onAppeal('awaiting_compliance', () => ({ statement: 'Done.' })),
  },
  withdrawAppeal: { expect: only(200, ['caseworker']), request: onAppeal('awaiting_manager_response', () => ({ reason: 'No longer wanted.' })) },
  extendDeadline: {
    expect: only(200, ['caseworker']),
    request: onAppeal('awaiting_manager_response', () => ({ until: '2031-01-01T12:00:00Z', reason: 'Leave.' }), { kind: 'managerResponse' }),
  },
  uploadDocument: { expect: only(201, ['caseworker', 'ownManager'], ['otherManager']), request: onAppeal('hearing_scheduled', () => evidence()) },
  listDocuments: { expect: SCOPED_READ, request: onAppeal('hearing_scheduled') },
  downloadDocument: { expect: SCOPED_READ, request: onDocument },
  verifyDocument: { expect: SCOPED_READ, request: onDocument },
  // Scoped first, as every read of the appeal; then only the caseworker and the assigned arbiter.
  getHearingBundle: { expect: only(200, ['caseworker', 'assignedArbiter'], ['otherManager', 'otherArbiter']), request: onDocument },
  decisionLetterHtml: { expect: SCOPED_READ, request: onAppeal('awaiting_compliance') },
  listArbiters: { expect: only(200, ['caseworker', 'admin']), request: () => ({}) },
  registerArbiter: {
    expect: only(201, ['admin']),
    request: () => {
      const id = `arbiter-${randomUUID()}`;
      return { body: { id, name: 'Kim Arbiter', email: `${id}@arbiters.example.org` } };
    },
  },
  listDepartments: { expect: SIGNED_IN(200), request: () => ({}) },
  createDepartment: {
    expect: only(201, ['admin']),
    request: () => ({ body: { code: `N${randomBytes(4).toString('hex').toUpperCase()}`, name: 'New department' } }),
  },
  replacePolicy: {
    expect: only(200, ['admin']),
    request: ({ people }) => ({ params: { code: people.department }, body: { ...DEFAULT_POLICY, overruleMinimumTotal: 14 } }),
  },
  previewPolicy: {
    expect: only(200, ['admin']),
    request: ({ people }) => ({ params: { code: people.department }, body: { ...DEFAULT_POLICY, managerResponse: { amount: 15, unit: 'working_days' } } }),
  },
  replaceGuidance: {
    expect: only(200, ['admin']),
    request: ({ people }) => ({ params: { code: people.department }, body: { guidance: 'Meet the staff who ask.' } }),
  },
  publishArbiter: { expect: only(200, ['admin']), request: ({ people }) => ({ params: { id: people.arbiterId }, body: { publicName: 'Arbiter One' } }) },
  unpublishArbiter: { expect: only(200, ['admin']), request: ({ people }) => ({ params: { id: people.arbiterId } }) },
  publicDepartments: { expect: ANYONE(200), request: () => ({}) },
  publicDepartment: { expect: ANYONE(200), request: ({ people }) => ({ params: { code: people.department } }) },
  publicDecisions: { expect: ANYONE(200), request: () => ({ query: 'outcome=overrule' }) },
  publicDecision: { expect: ANYONE(200), request: async ({ appeal }) => ({ params: { reference: (await appeal('awaiting_compliance')).reference } }) },
  publicFeed: { expect: ANYONE(200), request: () => ({}) },
  getCalendars: { expect: SIGNED_IN(200), request: () => ({}) },
  replaceCalendars: {
    expect: only(200, ['admin']),
    request: async ({ people }) => ({ body: { reason: 'The same again', holidays: (await harness().api('GET', '/v1/calendars', { token: people.admin })).body.holidays } }),
  },
  proclaimHoliday: { expect: only(201, ['admin']), request: () => ({ params: { division: 'scotland' }, body: { date: unusedDate(), title: 'Proclaimed', reason: 'A test' } }) },
  cancelHoliday: {
    expect: only(200, ['admin']),
    request: async ({ people }) => {
      const date = unusedDate();
      await harness().api('POST', '/v1/calendars/scotland/holidays', { token: people.admin, body: { date, title: 'To cancel', reason: 'A test' } });
      return { params: { division: 'scotland', date }, query: 'reason=Cancelled' };
    },
  },
  summaryReport: { expect: only(200, ['caseworker', 'admin']), request: () => ({}) },
  makeCheckpoint: { expect: only(201, ['admin']), request: () => ({}) },
  listCheckpoints: { expect: ANYONE(200), request: () => ({}) },
  getCheckpoint: { expect: ANYONE(200), request: onCheckpoint(false) },
  getCheckpointProof: { expect: ANYONE(200), request: onCheckpoint(true) },
  publicStatistics: { expect: ANYONE(200), request: ({ people }) => ({ query: `department=${people.department}` }) },
  publicStatisticsCsv: { expect: ANYONE(200), request: () => ({ query: 'year=2026' }) },
  publicStatisticsDictionary: { expect: ANYONE(200), request: () => ({}) },
  liveness: { expect: ANYONE(200), request: () => ({}) },
  readiness: { expect: ANYONE(200), request: () => ({}) },
  metrics: { expect: ANYONE(200), request: () => ({}) },
};

const tokenOf = (people: People, caller: Caller): string | undefined =>
  ({
    anonymous: undefined,
    caseworker: people.caseworker,
    ownManager: people.manager,
    otherManager: people.otherManager,
    assignedArbiter: people.arbiter,
    otherArbiter: people.otherArbiter,
    admin: people.admin,
  })[caller];

// The cells are generated from the document the app builds; the first test proves it is the one served.
const DOCUMENT = createOpenApiDocument();
const OPERATIONS = Object.entries(DOCUMENT.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, { operationId: string }>).map(([method, operation]) => ({ method: method.toUpperCase(), path, operationId: operation.operationId })),
);

describe('API: the access matrix (every documented call × seven callers)', () => {
  let people: People;
  const shared = new Map<string, Promise<AppealView>>();

  before(async () => {
    people = await peopleFor();
  });

  it('is generated from the document the API serves, and has an expectation for every call in it', async () => {
    expect((await openApi()).document).to.deep.equal(JSON.parse(JSON.stringify(DOCUMENT)));
    expect(OPERATIONS.map((o) => o.operationId)).to.have.members(Object.keys(MATRIX));
  });

  for (const { method, path, operationId } of OPERATIONS) {
    it(`${method} ${path} (${operationId})`, async () => {
      const cell = MATRIX[operationId];
      expect(cell, `no expectation for ${operationId}`).to.not.equal(undefined);
      const answers: string[] = [];
      for (const caller of CALLERS) {
        const expected = cell.expect[caller];
        const writes = method !== 'GET' && expected < 300;
        // A write that should succeed gets an appeal of its own; reads and refusals share one, which they leave unchanged.
        const appeal = (status: AppealView['status']) => {
          if (writes) return appealAt(people, status);
          if (!shared.has(status)) shared.set(status, appealAt(people, status));
          return shared.get(status) as Promise<AppealView>;
        };
        const request = await cell.request({ appeal, people });
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => request.params?.[name] ?? `{${name}}`) + (request.query ? `?${request.query}` : '');
        const response = await harness().api(method, url, { token: tokenOf(people, caller), body: request.body });
        answers.push(`${caller}: ${response.status}${response.status === expected ? '' : ` (expected ${expected}: ${JSON.stringify(response.body).slice(0, 200)})`}`);
      }
      const wrong = answers.filter((answer) => answer.includes('expected'));
      expect(wrong, answers.join('\n')).to.deep.equal([]);
    });
  }

  it('lists show each caller only the appeals in their scope', async () => {
    const appeal = await appealAt(people, 'hearing_scheduled');
    for (const caller of CALLERS.filter((c) => c !== 'anonymous')) {
      const response = await harness().api('GET', `/v1/appeals?q=${appeal.reference}`, { token: tokenOf(people, caller) });
      const sees = response.body.items.some((item: AppealView) => item.id === appeal.id);
      expect(sees, caller).to.equal(SCOPED_READ[caller] === 200);
    }
  });
});
