/**
 * Every appeal call of DESIGN.md's table, over real HTTP: its success path (and that a read
 * straight after shows the write), and each status code it can answer.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { appealAt, inAMinute, openAppeal, registerArbiter, STRONG_CASE, steps, submission, WEAK_CASE, type Cast } from './support/appeals';
import { databaseFingerprint, expectProblem, OVERSIZED_BODY, peopleFor, type People } from './support/api';

const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const nextYear = () => new Date(Date.now() + 365 * 24 * 3_600_000).toISOString();

async function read(cast: Cast, id: string): Promise<AppealView> {
  const response = await harness().api('GET', `/v1/appeals/${id}`, { token: cast.caseworker });
  expect(response.status).to.equal(200);
  return response.body;
}

let people: People;

describe('API: POST /v1/appeals', () => {
  before(async () => {
    people = await peopleFor();
  });

  it('201: opens the appeal with its reference, deadlines and the fields sent; a read shows it', async () => {
    const response = await harness().api('POST', '/v1/appeals', { token: people.caseworker, body: submission(people.department) });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    const appeal = response.body;
    expect(appeal).to.include({ status: 'awaiting_manager_response', department: people.department, managerDefaulted: false, arbiterId: null, overdue: false });
    expect(appeal.reference).to.match(/^MUT-\d{4}-\d{6}$/);
    expect(appeal.deadlines.managerResponseDue).to.be.a('string');
    expect(appeal.deadlines).to.include({ hearingDue: null, decisionDue: null, complianceDue: null });
    expect(appeal.proposedMutual).to.deep.equal(submission(people.department).proposedMutual);
    expect(response.headers.get('location')).to.equal(`/v1/appeals/${appeal.id}`);
    expect(await read(people, appeal.id)).to.deep.equal(appeal);
  });

  it('400: names every invalid field (types, ranges, enum values, unknown fields) and writes nothing', async () => {
    const before = await databaseFingerprint([]);
    const body = {
      ...submission(people.department),
      proposedMutual: { name: 'Mutual', service: 'x', staffCount: 'many', annualTurnoverPence: -1 },
      groundsOfAppeal: 'because',
      requestSubmittedOn: '2026-02-30',
      colour: 'blue',
    };
    const response = await harness().api('POST', '/v1/appeals', { token: people.caseworker, body });
    expectProblem(response, 400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).to.include.members([
      'body.proposedMutual.staffCount',
      'body.proposedMutual.annualTurnoverPence',
      'body.groundsOfAppeal',
      'body.requestSubmittedOn',
      'body',
    ]);
    expect(response.body.errors.find((e: { path: string }) => e.path === 'body').message).to.match(/colour/);
    expect(await databaseFingerprint([])).to.deep.equal(before);
  });

  it('400: malformed JSON, a body that is not an object, a missing body', async () => {
    for (const body of ['{"department": ', '[1, 2]', '"appeal"', 'null']) {
      expectProblem(await harness().api('POST', '/v1/appeals', { token: people.caseworker, body }), 400);
    }
    expectProblem(await harness().api('POST', '/v1/appeals', { token: people.caseworker }), 400);
  });

  it('400: a request submitted in the future, a NUL character, unknown query parameters', async () => {
    const future = { ...submission(people.department), requestSubmittedOn: '2199-01-01' };
    expectProblem(await harness().api('POST', '/v1/appeals', { token: people.caseworker, body: future }), 400);
    const nul = { ...submission(people.department), businessCaseSummary: 'a\u0000b' };
    expectProblem(await harness().api('POST', '/v1/appeals', { token: people.caseworker, body: nul }), 400);
    const query = await harness().api('POST', '/v1/appeals?draft=true', { token: people.caseworker, body: submission(people.department) });
    expectProblem(query, 400);
    expect(query.body.errors[0].path).to.equal('query');
  });

  it('401 without a token, or with one that is not a JWT', async () => {
    expectProblem(await harness().api('POST', '/v1/appeals', { body: submission(people.department) }), 401);
    expectProblem(await harness().api('POST', '/v1/appeals', { token: 'not-a-jwt', body: submission(people.department) }), 401);
  });

  it('403 for managers, arbiters and administrators', async () => {
    for (const token of [people.manager, people.arbiter, people.admin]) {
      expectProblem(await harness().api('POST', '/v1/appeals', { token, body: submission(people.department) }), 403);
    }
  });

  it('422 for a department that does not exist, naming the field', async () => {
    const response = await harness().api('POST', '/v1/appeals', { token: people.caseworker, body: submission('NOPE') });
    expectProblem(response, 422);
    expect(response.body.errors).to.deep.equal([{ path: 'body.department', message: 'unknown department' }]);
  });
});

describe('API: GET /v1/appeals/{id}', () => {
  let appeal: AppealView;
  before(async () => {
    people = await peopleFor();
    appeal = await appealAt(people, 'hearing_scheduled');
  });

  it('200: the case record with its deadlines and their explanations, for everyone in scope', async () => {
    for (const token of [people.caseworker, people.admin, people.manager, people.arbiter]) {
      const response = await harness().api('GET', `/v1/appeals/${appeal.id}`, { token });
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ id: appeal.id, status: 'hearing_scheduled', arbiterId: people.arbiterId });
    }
    const { body } = await harness().api('GET', `/v1/appeals/${appeal.id}`, { token: people.caseworker });
    expect(body.deadlineDetails.map((d: { kind: string }) => d.kind)).to.deep.equal(['managerResponse', 'hearing']);
    expect(body.deadlineDetails[1].explanation).to.include.keys('policyVersion', 'start', 'period', 'calendar', 'endsAt');
  });

  it('400 for an id that is not a UUID', async () => {
    const response = await harness().api('GET', '/v1/appeals/42', { token: people.caseworker });
    expectProblem(response, 400);
    expect(response.body.errors[0].path).to.equal('path.id');
  });

  it('401 without a token', async () => {
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}`), 401);
  });

  it('404 for a missing appeal and, alike, for one out of the caller\'s scope', async () => {
    const missing = await harness().api('GET', `/v1/appeals/${randomUUID()}`, { token: people.caseworker });
    const hidden = await harness().api('GET', `/v1/appeals/${appeal.id}`, { token: people.otherManager });
    expectProblem(missing, 404);
    expectProblem(hidden, 404);
    const shape = (body: any) => ({ title: body.title, detail: body.detail, status: body.status });
    expect(shape(hidden.body)).to.deep.equal(shape(missing.body));
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}`, { token: people.otherArbiter }), 404);
  });
});

describe('API: GET /v1/appeals/{id}/timeline', () => {
  it('200: the events oldest first, each with seq, type, actor, at, data and hash; verified', async () => {
    people = await peopleFor();
    const appeal = await appealAt(people, 'awaiting_hearing');
    const response = await harness().api('GET', `/v1/appeals/${appeal.id}/timeline`, { token: people.manager });
    expect(response.status).to.equal(200);
    expect(response.body.verified).to.equal(true);
    expect(response.body.items.map((e: { seq: number; type: string }) => [e.seq, e.type])).to.deep.equal([
      [1, 'submitted'],
      [2, 'manager_contested'],
    ]);
    expect(response.body.items[1].actor).to.deep.equal({ sub: 'manager-1', role: 'manager' });
  });

  it('400 for a bad id, 401 without a token, 404 for a missing or hidden appeal', async () => {
    people = await peopleFor();
    const appeal = await openAppeal(people);
    expectProblem(await harness().api('GET', '/v1/appeals/nope/timeline', { token: people.caseworker }), 400);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/timeline`), 401);
    expectProblem(await harness().api('GET', `/v1/appeals/${randomUUID()}/timeline`, { token: people.caseworker }), 404);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/timeline`, { token: people.arbiter }), 404);
  });
});

describe('API: GET /v1/appeals/{id}/notifications', () => {
  it('200 for caseworkers and administrators: every notice with its delivery status', async () => {
    people = await peopleFor();
    const appeal = await openAppeal(people);
    for (const token of [people.caseworker, people.admin]) {
      const response = await harness().api('GET', `/v1/appeals/${appeal.id}/notifications`, { token });
      expect(response.status).to.equal(200);
      expect(response.body.items.map((n: { kind: string }) => n.kind)).to.include('appeal_opened');
      for (const notice of response.body.items) expect(notice).to.include.keys('kind', 'recipient', 'dueAt', 'status', 'sentAt');
    }
  });

  it('400, 401, 403 for managers and arbiters, 404', async () => {
    people = await peopleFor();
    const appeal = await openAppeal(people);
    expectProblem(await harness().api('GET', '/v1/appeals/x/notifications', { token: people.caseworker }), 400);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/notifications`), 401);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/notifications`, { token: people.manager }), 403);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/notifications`, { token: people.arbiter }), 403);
    expectProblem(await harness().api('GET', `/v1/appeals/${randomUUID()}/notifications`, { token: people.caseworker }), 404);
  });
});

/** One action call: where it applies, who takes it, a body that works, and the ways it is refused. */
interface ActionCall {
  name: string;
  path: (id: string) => string;
  at: AppealView['status'];
  by: (p: People) => string;
  body: (p: People) => Record<string, unknown>;
  shows: (appeal: AppealView, p: People) => void;
  invalid: Record<string, unknown>;
  wrongRole: (p: People) => string;
  /** An appeal status at which the call does not fit (409). */
  conflictAt: AppealView['status'];
  conflictBody?: (p: People) => Record<string, unknown>;
  /** Business-rule refusals (422). */
  refusals: { why: string; at?: AppealView['status']; body: (p: People) => Promise<Record<string, unknown>> | Record<string, unknown>; detail: RegExp }[];
}

const ACTIONS: ActionCall[] = [
  {
    name: 'manager-response',
    path: (id) => `/v1/appeals/${id}/manager-response`,
    at: 'awaiting_manager_response',
    by: (p) => p.manager,
    body: () => ({ position: 'contest', statement: 'We considered it.' }),
    shows: (appeal) => expect(appeal.status).to.equal('awaiting_hearing'),
    invalid: { position: 'maybe', statement: '' },
    wrongRole: (p) => p.caseworker,
    conflictAt: 'awaiting_hearing',
    refusals: [],
  },
  {
    name: 'arbiter',
    path: (id) => `/v1/appeals/${id}/arbiter`,
    at: 'awaiting_hearing',
    by: (p) => p.caseworker,
    body: (p) => ({ arbiterId: p.otherArbiterId }),
    shows: (appeal, p) => expect(appeal.arbiterId).to.equal(p.otherArbiterId),
    invalid: { arbiterId: 7 },
    wrongRole: (p) => p.admin,
    conflictAt: 'awaiting_manager_response',
    refusals: [
      { why: 'an arbiter not in the register', body: () => ({ arbiterId: 'nobody' }), detail: /register/ },
      { why: "an arbiter from the appeal's own department", body: async (p) => ({ arbiterId: await registerArbiter(p.department) }), detail: /conflict of interest/ },
    ],
  },
  {
    name: 'hearing',
    path: (id) => `/v1/appeals/${id}/hearing`,
    at: 'hearing_scheduled',
    by: (p) => p.arbiter,
    body: () => ({ scheduledFor: '2031-03-04T10:00:00Z', location: 'Room 2' }),
    shows: (appeal) => expect(appeal.hearing).to.include({ scheduledFor: '2031-03-04T10:00:00Z', location: 'Room 2' }),
    invalid: { scheduledFor: 'next tuesday', location: 'Room 2' },
    wrongRole: (p) => p.manager,
    conflictAt: 'awaiting_decision',
    refusals: [{ why: 'a time in the past', body: () => ({ scheduledFor: anHourAgo(), location: 'Room 2' }), detail: /future/ }],
  },
  {
    name: 'hearing/outcome',
    path: (id) => `/v1/appeals/${id}/hearing/outcome`,
    at: 'hearing_scheduled',
    by: (p) => p.arbiter,
    body: () => ({ outcome: 'held', notes: 'Both sides heard.' }),
    shows: (appeal) => expect(appeal.status).to.equal('awaiting_decision'),
    invalid: { outcome: 'adjourned' },
    wrongRole: (p) => p.caseworker,
    conflictAt: 'awaiting_decision',
    refusals: [{ why: 'an adjournment to a past date', body: () => ({ outcome: 'adjourned', rescheduledFor: anHourAgo() }), detail: /future/ }],
  },
  {
    name: 'decision',
    path: (id) => `/v1/appeals/${id}/decision`,
    at: 'awaiting_decision',
    by: (p) => p.arbiter,
    body: () => ({ outcome: 'overrule', assessment: STRONG_CASE, reasons: 'Sound.' }),
    shows: (appeal, p) => {
      expect(appeal.status).to.equal('awaiting_compliance');
      expect(appeal.decision).to.include({ outcome: 'overrule', arbiterId: p.arbiterId });
    },
    invalid: { outcome: 'overrule', assessment: { ...STRONG_CASE, serviceQuality: 6 }, reasons: 'x' },
    wrongRole: (p) => p.manager,
    conflictAt: 'awaiting_compliance',
    refusals: [{ why: 'an overrule on a weak case', body: () => ({ outcome: 'overrule', assessment: WEAK_CASE, reasons: 'x' }), detail: /financialViability/ }],
  },
  {
    name: 'compliance',
    path: (id) => `/v1/appeals/${id}/compliance`,
    at: 'awaiting_compliance',
    by: (p) => p.manager,
    body: () => ({ statement: 'Done.' }),
    shows: (appeal) => expect(appeal.status).to.equal('complied'),
    invalid: { statement: ['Done.'] },
    wrongRole: (p) => p.arbiter,
    conflictAt: 'awaiting_decision',
    refusals: [],
  },
  {
    name: 'withdraw',
    path: (id) => `/v1/appeals/${id}/withdraw`,
    at: 'awaiting_decision',
    by: (p) => p.caseworker,
    body: () => ({ reason: 'Changed minds.' }),
    shows: (appeal) => expect(appeal.status).to.equal('withdrawn'),
    invalid: { reason: 'x', extra: true },
    wrongRole: (p) => p.manager,
    conflictAt: 'awaiting_compliance',
    refusals: [],
  },
  {
    name: 'deadlines/{kind}/extend',
    path: (id) => `/v1/appeals/${id}/deadlines/managerResponse/extend`,
    at: 'awaiting_manager_response',
    by: (p) => p.caseworker,
    body: () => ({ until: '2031-01-01T12:00:00Z', reason: 'Manager on leave.' }),
    shows: (appeal) => {
      expect(appeal.deadlines.managerResponseDue).to.equal('2031-01-01T12:00:00.000Z');
      expect(appeal.deadlineDetails[0].extensions).to.have.length(1);
    },
    invalid: { until: 12, reason: 'x' },
    wrongRole: (p) => p.admin,
    conflictAt: 'awaiting_hearing',
    refusals: [{ why: 'an earlier date', body: () => ({ until: inAMinute(), reason: 'Sooner.' }), detail: /only be moved later/ }],
  },
];

describe('API: the action calls', () => {
  before(async () => {
    people = await peopleFor();
  });

  for (const action of ACTIONS) {
    describe(`POST /v1/appeals/{id}/${action.name}`, () => {
      it(`200: answers the appeal as it now stands, and a read straight after shows it`, async () => {
        const appeal = await appealAt(people, action.at);
        const response = await harness().api('POST', action.path(appeal.id), { token: action.by(people), body: action.body(people) });
        expect(response.status, JSON.stringify(response.body)).to.equal(200);
        action.shows(response.body, people);
        const reread = await read(people, appeal.id);
        expect(reread).to.deep.equal(response.body);
      });

      it('400 for an invalid body, naming the field, and nothing written', async () => {
        const appeal = await appealAt(people, action.at);
        const before = await databaseFingerprint([appeal.id]);
        const response = await harness().api('POST', action.path(appeal.id), { token: action.by(people), body: action.invalid });
        expectProblem(response, 400);
        expect(response.body.errors).to.be.an('array').with.length.above(0);
        expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
      });

      it("403 for a role that may not take it", async () => {
        const appeal = await appealAt(people, action.at);
        expectProblem(await harness().api('POST', action.path(appeal.id), { token: action.wrongRole(people), body: action.body(people) }), 403);
      });

      it('404 for an appeal that does not exist', async () => {
        expectProblem(await harness().api('POST', action.path(randomUUID()), { token: action.by(people), body: action.body(people) }), 404);
      });

      it(`409 when the appeal is ${action.conflictAt}, and nothing written`, async () => {
        const appeal = await appealAt(people, action.conflictAt);
        const before = await databaseFingerprint([appeal.id]);
        expectProblem(await harness().api('POST', action.path(appeal.id), { token: action.by(people), body: action.body(people) }), 409);
        expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
      });

      for (const refusal of action.refusals) {
        it(`422 for ${refusal.why}, and nothing written`, async () => {
          const appeal = await appealAt(people, refusal.at ?? action.at);
          const body = await refusal.body(people);
          const before = await databaseFingerprint([appeal.id]);
          const response = await harness().api('POST', action.path(appeal.id), { token: action.by(people), body });
          expectProblem(response, 422);
          expect(response.body.detail).to.match(refusal.detail);
          expect(await databaseFingerprint([appeal.id])).to.deep.equal(before);
        });
      }
    });
  }

  it('schedule hearing: 409 before an arbiter is assigned', async () => {
    const appeal = await appealAt(people, 'awaiting_hearing');
    expectProblem(await harness().api('POST', `/v1/appeals/${appeal.id}/hearing`, { token: people.caseworker, body: { scheduledFor: inAMinute(), location: 'Room 1' } }), 409);
  });

  it('decision: a second decision is refused with 409, and the first stands', async () => {
    const appeal = await appealAt(people, 'awaiting_decision');
    const dismissed = await steps.dismiss(people, appeal.id);
    const again = await harness().api('POST', `/v1/appeals/${appeal.id}/decision`, {
      token: people.arbiter,
      body: { outcome: 'overrule', assessment: STRONG_CASE, reasons: 'Second thoughts.' },
    });
    expectProblem(again, 409);
    expect((await read(people, appeal.id)).decision).to.deep.equal(dismissed.decision);
  });

  it('extend: 400 for an unknown deadline kind; 409 for a deadline that is not running', async () => {
    const appeal = await openAppeal(people);
    const body = { until: nextYear(), reason: 'Because.' };
    const unknown = await harness().api('POST', `/v1/appeals/${appeal.id}/deadlines/lunch/extend`, { token: people.caseworker, body });
    expectProblem(unknown, 400);
    expect(unknown.body.errors[0].path).to.equal('path.kind');
    expectProblem(await harness().api('POST', `/v1/appeals/${appeal.id}/deadlines/decision/extend`, { token: people.caseworker, body }), 409);
  });

  it('withdraw: refused with 409 once the appeal is decided or closed', async () => {
    const appeal = await appealAt(people, 'awaiting_manager_response');
    await steps.concede(people, appeal.id);
    expectProblem(await harness().api('POST', `/v1/appeals/${appeal.id}/withdraw`, { token: people.caseworker, body: { reason: 'Late.' } }), 409);
  });
});

describe('API: what every write call refuses before reading its body', () => {
  let appealId: string;
  before(async () => {
    people = await peopleFor();
    appealId = (await openAppeal(people)).id;
  });

  const WRITES = () => [
    ['POST', '/v1/appeals', people.caseworker],
    ...ACTIONS.map((action) => ['POST', action.path(appealId), action.by(people)]),
    ['POST', '/v1/arbiters', people.admin],
    ['POST', '/v1/departments', people.admin],
    ['PUT', `/v1/departments/${people.department}/policy`, people.admin],
  ];

  it('401 without a token, with an unsigned token and with a garbage one', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'caseworker-1', role: 'caseworker', exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url')}.`;
    for (const [method, path] of WRITES()) {
      for (const token of [undefined, unsigned, 'garbage']) {
        expectProblem(await harness().api(method, path, { token, body: {} }), 401);
      }
    }
  });

  it(`413 for a body over 64 KiB, and nothing written`, async () => {
    const before = await databaseFingerprint([appealId]);
    for (const [method, path, token] of WRITES()) {
      const response = await harness().api(method, path, { token, body: OVERSIZED_BODY });
      expectProblem(response, 413);
      expect(response.body.detail).to.match(/64 KiB/);
    }
    expect(await databaseFingerprint([appealId])).to.deep.equal(before);
  });

  it('415 for a body that is not JSON, and nothing written', async () => {
    const before = await databaseFingerprint([appealId]);
    for (const [method, path, token] of WRITES()) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
        const response = await harness().api(method, path, { token, body: 'position=concede', headers: { 'content-type': contentType } });
        expectProblem(response, 415);
      }
    }
    expect(await databaseFingerprint([appealId])).to.deep.equal(before);
  });
});
