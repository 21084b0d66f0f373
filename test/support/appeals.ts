/** Helpers that let a test open and steer an appeal over the API in a few readable lines. */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DEFAULT_POLICY, type Period, type Policy } from '../../domain/policy';
import type { AppealView } from '../../domain/appeal';
import { harness } from '../harness';

export const seconds = (amount: number): Period => ({ amount, unit: 'seconds' });

/** A policy whose deadlines are far away unless a test shortens them. */
export const QUIET_POLICY: Policy = {
  ...DEFAULT_POLICY,
  managerResponse: seconds(3600),
  hearingWithin: seconds(3600),
  decisionWithin: seconds(3600),
  complianceWithin: seconds(3600),
  reminders: [],
};

/** A department of its own for one test, so its policy touches nothing else. */
export async function createDepartment(policy: Partial<Policy> = {}): Promise<string> {
  const { dataSource } = harness();
  const code = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  await dataSource.query(`INSERT INTO departments (code, name) VALUES ($1, $2)`, [code, `Test department ${code}`]);
  await dataSource.query(`INSERT INTO policy_versions (department_code, version, policy, created_by) VALUES ($1, 1, $2, 'test')`, [
    code,
    JSON.stringify({ ...QUIET_POLICY, ...policy }),
  ]);
  return code;
}

export function submission(department: string): Record<string, unknown> {
  return {
    department,
    parentBody: { name: 'HM Passport Office', managerName: 'Pat Manager', managerEmail: 'pat.manager@example.gov.uk' },
    appellant: { name: 'Sam Appellant', email: 'sam.appellant@example.org' },
    proposedMutual: { name: 'Passport Services Mutual', service: 'passport processing', staffCount: 120, annualTurnoverPence: 250_000_000 },
    groundsOfAppeal: 'no_response',
    requestSubmittedOn: '2026-10-01',
    businessCaseSummary: 'A staff-owned mutual taking over passport application processing.',
  };
}

export const STRONG_CASE = { financialViability: 4, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3 };
export const WEAK_CASE = { financialViability: 1, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3 };

/** The people around one appeal, each with a token. */
export interface Cast {
  department: string;
  caseworker: string;
  manager: string;
  admin: string;
  arbiter: string;
  arbiterId: string;
}

/**
 * The people around an appeal of `department`. By default a new arbiter is registered for it; the
 * browser tests pass the dev accounts they sign in as instead (`arbiterId`, `managerSub`).
 */
export async function castFor(department: string, accounts: { arbiterId?: string; managerSub?: string } = {}): Promise<Cast> {
  const { tokenFor } = harness();
  const arbiterId = accounts.arbiterId ?? (await registerArbiter());
  return {
    department,
    caseworker: await tokenFor('caseworker', 'caseworker-1'),
    manager: await tokenFor('manager', accounts.managerSub ?? 'manager-1', department),
    admin: await tokenFor('admin', 'admin-1'),
    arbiter: await tokenFor('arbiter', arbiterId),
    arbiterId,
  };
}

/** Register an arbiter (optionally from a department) and answer their id. */
export async function registerArbiter(department?: string): Promise<string> {
  const { api, tokenFor } = harness();
  const id = `arbiter-${randomUUID()}`;
  const registered = await api('POST', '/v1/arbiters', {
    token: await tokenFor('admin', 'admin-1'),
    body: { id, name: 'Robin Arbiter', email: `${id}@arbiters.example.org`, ...(department ? { department } : {}) },
  });
  expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
  return id;
}

/** Call the API and expect a status; answers the body. */
export async function expectCall(
  status: number,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<any> {
  const response = await harness().api(method, path, { token, body });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).to.equal(status);
  return response.body;
}

export async function openAppeal(cast: Cast): Promise<AppealView> {
  return expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
}

export const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

/** Steps an appeal along the common path, each answering the appeal as it now stands. */
export const steps = {
  contest: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/manager-response`, cast.manager, { position: 'contest', statement: 'We gave it due consideration.' }),
  concede: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/manager-response`, cast.manager, { position: 'concede', statement: 'We will support the spin-out.' }),
  assignArbiter: (cast: Cast, id: string) => expectCall(200, 'POST', `/v1/appeals/${id}/arbiter`, cast.caseworker, { arbiterId: cast.arbiterId }),
  scheduleHearing: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/hearing`, cast.caseworker, { scheduledFor: inAMinute(), location: 'Room 101, Petty France' }),
  hold: (cast: Cast, id: string) => expectCall(200, 'POST', `/v1/appeals/${id}/hearing/outcome`, cast.arbiter, { outcome: 'held', notes: 'Both sides heard.' }),
  adjourn: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/hearing/outcome`, cast.arbiter, { outcome: 'adjourned', rescheduledFor: inAMinute(), notes: 'Evidence missing.' }),
  overrule: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/decision`, cast.arbiter, { outcome: 'overrule', assessment: STRONG_CASE, reasons: 'A sound business case.' }),
  dismiss: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/decision`, cast.arbiter, { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'The finances do not hold up.' }),
  comply: (cast: Cast, id: string) =>
    expectCall(200, 'POST', `/v1/appeals/${id}/compliance`, cast.manager, { statement: 'The spin-out is under way.' }),
  withdraw: (cast: Cast, id: string) => expectCall(200, 'POST', `/v1/appeals/${id}/withdraw`, cast.caseworker, { reason: 'Staff changed their minds.' }),
};

/** Take an appeal to a status along the common path. */
export async function appealAt(cast: Cast, status: AppealView['status']): Promise<AppealView> {
  const path: (keyof typeof steps)[] = ['contest', 'assignArbiter', 'scheduleHearing', 'hold', 'overrule'];
  const stops: Partial<Record<AppealView['status'], number>> = {
    awaiting_manager_response: 0,
    awaiting_hearing: 1,
    hearing_scheduled: 3,
    awaiting_decision: 4,
    awaiting_compliance: 5,
  };
  let appeal = await openAppeal(cast);
  for (const step of path.slice(0, stops[status] ?? 0)) appeal = await steps[step](cast, appeal.id);
  expect(appeal.status).to.equal(status);
  return appeal;
}

export async function timelineTypes(id: string): Promise<string[]> {
  const { dataSource } = harness();
  const rows = await dataSource.query<{ type: string }[]>(`SELECT type FROM timeline_events WHERE appeal_id = $1 ORDER BY seq`, [id]);
  return rows.map((r) => r.type);
}

/** Poll the appeal until it satisfies `done` (deadlines fire on their own; this awaits them). */
export async function eventually(
  cast: Cast,
  id: string,
  done: (appeal: AppealView) => boolean,
  timeoutMs = 30_000,
): Promise<AppealView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const appeal = await expectCall(200, 'GET', `/v1/appeals/${id}`, cast.caseworker);
    if (done(appeal)) return appeal;
    if (Date.now() > deadline) throw new Error(`appeal ${id} never reached the expected state: ${JSON.stringify(appeal)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
