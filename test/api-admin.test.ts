/** The arbiter register, departments and their policies, and the summary report, over real HTTP. */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { median } from '../db/reports';
import { workingDaysBetween } from '../domain/calendar';
import { BankHolidayCalendar } from '../domain/bank-holidays';
import { readSnapshot } from '../db/calendars';
import { DEFAULT_POLICY } from '../domain/policy';
import { harness } from './harness';
import { appealAt, createDepartment, eventually, openAppeal, QUIET_POLICY, seconds, steps } from './support/appeals';
import { expectProblem, peopleFor, type People } from './support/api';

let people: People;

describe('API: the arbiter register', () => {
  before(async () => {
    people = await peopleFor();
  });

  const arbiter = (overrides: Record<string, unknown> = {}) => {
    const id = `arb-${randomUUID()}`;
    return { id, name: 'Jo Arbiter', email: `${id}@example.org`, ...overrides };
  };

  it('POST 201 registers an arbiter (with or without a department); GET lists them straight after', async () => {
    const plain = arbiter();
    const homed = arbiter({ department: 'HO' });
    const created = await harness().api('POST', '/v1/arbiters', { token: people.admin, body: plain });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.equal({ ...plain, department: null });
    expect((await harness().api('POST', '/v1/arbiters', { token: people.admin, body: homed })).body).to.deep.equal(homed);
    for (const token of [people.caseworker, people.admin]) {
      const listed = await harness().api('GET', '/v1/arbiters', { token });
      expect(listed.status).to.equal(200);
      expect(listed.body.items).to.deep.include.members([
        { ...plain, department: null, openAppeals: 0 },
        { ...homed, openAppeals: 0 },
      ]);
    }
  });

  it('GET gives each arbiter their open caseload: appeals assigned to them and not yet closed', async () => {
    const caseload = async () => {
      const listed = await harness().api('GET', '/v1/arbiters', { token: people.caseworker });
      expect(listed.status).to.equal(200);
      return listed.body.items.find((a: { id: string }) => a.id === people.arbiterId).openAppeals;
    };
    expect(await caseload()).to.equal(0);
    const open = await appealAt(people, 'hearing_scheduled');
    const closing = await appealAt(people, 'awaiting_hearing');
    await steps.assignArbiter(people, closing.id);
    expect(await caseload()).to.equal(2);
    await steps.withdraw(people, closing.id);
    expect(await caseload(), 'a withdrawn appeal leaves the caseload').to.equal(1);
    await steps.hold(people, open.id);
    expect(await caseload(), 'a hearing held: still open until decided').to.equal(1);
    await steps.dismiss(people, open.id);
    expect(await caseload(), 'a dismissed appeal is closed').to.equal(0);
  });

  it('POST 400 for an invalid email or an unknown field, 401, 403 for everyone but administrators', async () => {
    const bad = await harness().api('POST', '/v1/arbiters', { token: people.admin, body: arbiter({ email: 'not-an-email', rank: 1 }) });
    expectProblem(bad, 400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.have.members(['body.email', 'body']);
    expectProblem(await harness().api('POST', '/v1/arbiters', { body: arbiter() }), 401);
    for (const token of [people.caseworker, people.manager, people.arbiter]) {
      expectProblem(await harness().api('POST', '/v1/arbiters', { token, body: arbiter() }), 403);
    }
  });

  it('POST 409 for an id already registered; 422 for an unknown department', async () => {
    const body = arbiter();
    expect((await harness().api('POST', '/v1/arbiters', { token: people.admin, body })).status).to.equal(201);
    expectProblem(await harness().api('POST', '/v1/arbiters', { token: people.admin, body: { ...body, name: 'Someone else' } }), 409);
    expectProblem(await harness().api('POST', '/v1/arbiters', { token: people.admin, body: arbiter({ department: 'NOPE' }) }), 422);
  });

  it('GET 400 for an unknown query parameter, 401, 403 for managers and arbiters', async () => {
    expectProblem(await harness().api('GET', '/v1/arbiters?department=HO', { token: people.caseworker }), 400);
    expectProblem(await harness().api('GET', '/v1/arbiters'), 401);
    expectProblem(await harness().api('GET', '/v1/arbiters', { token: people.manager }), 403);
    expectProblem(await harness().api('GET', '/v1/arbiters', { token: people.arbiter }), 403);
  });
});

describe('API: departments and policies', () => {
  before(async () => {
    people = await peopleFor();
  });

  it('GET 200 for everyone: the seeded departments with the policy in force', async () => {
    for (const token of [people.caseworker, people.manager, people.arbiter, people.admin]) {
      const response = await harness().api('GET', '/v1/departments', { token });
      expect(response.status).to.equal(200);
      const codes = response.body.items.map((d: { code: string }) => d.code);
      expect(codes).to.include.members(['DCLG', 'BIS', 'DFE', 'HO', 'MOJ']);
      expect(response.body.items.find((d: { code: string }) => d.code === 'HO')).to.include({ name: 'Home Office' });
    }
    expectProblem(await harness().api('GET', '/v1/departments'), 401);
    expectProblem(await harness().api('GET', '/v1/departments?code=HO', { token: people.caseworker }), 400);
  });

  it('PUT 200 replaces the policy with the next version; GET shows it; open appeals keep theirs', async () => {
    const department = await createDepartment();
    const open = await openAppeal({ ...people, department });
    const policy = { ...DEFAULT_POLICY, managerResponse: { amount: 15, unit: 'working_days' }, calendar: 'scotland' };
    const response = await harness().api('PUT', `/v1/departments/${department}/policy`, { token: people.admin, body: policy });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body).to.deep.include({ code: department, policyVersion: 2, policy });
    const listed = await harness().api('GET', '/v1/departments', { token: people.manager });
    expect(listed.body.items.find((d: { code: string }) => d.code === department)).to.deep.include({ policyVersion: 2, policy });
    const reread = await harness().api('GET', `/v1/appeals/${open.id}`, { token: people.caseworker });
    expect(reread.body.policyVersion).to.equal(1);
  });

  it('PUT 400 for a policy with an unknown unit, a zero or over-long period, or a missing field', async () => {
    for (const policy of [
      { ...DEFAULT_POLICY, hearingWithin: { amount: 2, unit: 'fortnights' } },
      { ...DEFAULT_POLICY, hearingWithin: { amount: 0, unit: 'working_days' } },
      { ...DEFAULT_POLICY, hearingWithin: { amount: 5000, unit: 'working_days' } },
      { ...DEFAULT_POLICY, overruleMinimumTotal: 26 },
      { ...DEFAULT_POLICY, calendar: undefined },
    ]) {
      const response = await harness().api('PUT', `/v1/departments/${people.department}/policy`, { token: people.admin, body: policy });
      expectProblem(response, 400);
      expect(response.body.errors[0].path).to.match(/^body\./);
    }
    expectProblem(await harness().api('PUT', '/v1/departments/home-office/policy', { token: people.admin, body: DEFAULT_POLICY }), 400);
  });

  it('PUT 401, 403 for everyone but administrators, 404 for an unknown department', async () => {
    expectProblem(await harness().api('PUT', `/v1/departments/${people.department}/policy`, { body: DEFAULT_POLICY }), 401);
    for (const token of [people.caseworker, people.manager, people.arbiter]) {
      expectProblem(await harness().api('PUT', `/v1/departments/${people.department}/policy`, { token, body: DEFAULT_POLICY }), 403);
    }
    expectProblem(await harness().api('PUT', '/v1/departments/NOWHERE/policy', { token: people.admin, body: DEFAULT_POLICY }), 404);
  });

  it('POST 201 adds a department (default policy) that appeals can be opened in; 409 for a code in use; 403; 400', async () => {
    const code = `D${randomBytes(3).toString('hex').toUpperCase()}`;
    const created = await harness().api('POST', '/v1/departments', { token: people.admin, body: { code, name: 'Department for Tests' } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.deep.equal({ code, name: 'Department for Tests', policyVersion: 1, policy: DEFAULT_POLICY, guidance: '' });
    const appeal = await openAppeal({ ...people, department: code });
    expect(appeal.department).to.equal(code);
    expectProblem(await harness().api('POST', '/v1/departments', { token: people.admin, body: { code, name: 'Again' } }), 409);
    expectProblem(await harness().api('POST', '/v1/departments', { token: people.caseworker, body: { code: 'XX', name: 'X' } }), 403);
    expectProblem(await harness().api('POST', '/v1/departments', { token: people.admin, body: { code: 'lower', name: 'X' } }), 400);
  });
});

describe('API: GET /v1/reports/summary', () => {
  it('200: by department, counts by status, overrule rate, median working days to decision, deadlines missed by kind', async function () {
    this.timeout(60_000);
    const department = await createDepartment();
    const cast = await peopleFor(department);
    await steps.overrule(cast, (await appealAt(cast, 'awaiting_decision')).id);
    await steps.dismiss(cast, (await appealAt(cast, 'awaiting_decision')).id);
    // Appeals opened from now on give the managers one second to answer: this one defaults.
    const hurried = { ...QUIET_POLICY, managerResponse: seconds(1) };
    expect((await harness().api('PUT', `/v1/departments/${department}/policy`, { token: cast.admin, body: hurried })).status).to.equal(200);
    const defaulted = await openAppeal(cast);
    await eventually(cast, defaulted.id, (a) => a.managerDefaulted);

    const response = await harness().api('GET', '/v1/reports/summary', { token: cast.caseworker });
    expect(response.status).to.equal(200);
    const mine = response.body.items.find((item: { department: string }) => item.department === department);
    expect(mine.total).to.equal(3);
    expect(mine.byStatus).to.include({ awaiting_compliance: 1, dismissed: 1, awaiting_hearing: 1, conceded: 0 });
    expect(mine).to.include({ decisions: 2, overrules: 1, overruleRate: 0.5, medianWorkingDaysToDecision: 0 });
    expect(mine.deadlinesMissed).to.deep.equal({ managerResponse: 1, hearing: 0, decision: 0, compliance: 0 });
    expect(response.body.totals.total).to.be.at.least(3);
    expect(response.body.items.map((i: { department: string }) => i.department)).to.include.members(['HO', 'MOJ']);
    expect((await harness().api('GET', '/v1/reports/summary', { token: cast.admin })).status).to.equal(200);
  });

  it('400 for a query parameter, 401, 403 for managers and arbiters', async () => {
    people = await peopleFor();
    expectProblem(await harness().api('GET', '/v1/reports/summary?year=2026', { token: people.caseworker }), 400);
    expectProblem(await harness().api('GET', '/v1/reports/summary'), 401);
    expectProblem(await harness().api('GET', '/v1/reports/summary', { token: people.manager }), 403);
    expectProblem(await harness().api('GET', '/v1/reports/summary', { token: people.arbiter }), 403);
  });

  it('counts working days in the appeal\'s calendar, and takes the median of them', () => {
    const holidays = new BankHolidayCalendar(1, readSnapshot());
    const on = (division: 'england-and-wales' | 'scotland') => ({ division, holidays });
    const from = new Date('2026-12-31T10:00:00Z');
    const to = new Date('2027-01-05T10:00:00Z');
    expect(workingDaysBetween(from, to, on('england-and-wales'))).to.equal(2); // 1 January; 4 and 5 count
    expect(workingDaysBetween(from, to, on('scotland'))).to.equal(1); // 2 January's holiday moves to the 4th
    expect(workingDaysBetween(new Date('2026-06-30T23:30:00Z'), new Date('2026-07-01T08:00:00Z'), on('england-and-wales'))).to.equal(0);
    expect([median([3, 1, 2]), median([4, 1, 2, 3]), median([])]).to.deep.equal([2, 2.5, null]);
  });
});

