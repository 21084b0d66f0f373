/**
 * Appeals driven through the API along every path of the lifecycle, each call with an
 * Idempotency-Key and retried like a careful client, and what each path must leave behind.
 */
import { randomBytes } from 'node:crypto';
import type { Assessment, DecisionOutcome } from '../../domain/decision';
import type { AppealStatus } from '../../domain/lifecycle';
import type { Policy } from '../../domain/policy';
import type { AppealView } from '../../domain/appeal';
import { QUIET_POLICY, seconds, STRONG_CASE, submission, WEAK_CASE } from '../support/appeals';
import type { ApiClient } from './client';
import { pause } from './client';
import { faultSystem } from './system';

/** Deadlines that run out while the suite watches: a reminder, then the deadline itself. */
export const SHORT_DEADLINE_SECONDS = 6;
const REMINDER_BEFORE_SECONDS = 2;

export const POLICIES = {
  /** Every deadline an hour away: people act in time whatever the faults cost. */
  calm: QUIET_POLICY,
  /** The managers' deadline runs out within seconds. */
  managerDeadline: { ...QUIET_POLICY, managerResponse: seconds(SHORT_DEADLINE_SECONDS), reminders: [seconds(REMINDER_BEFORE_SECONDS)] },
  /** The hearing deadline runs out within seconds of the contest. */
  hearingDeadline: { ...QUIET_POLICY, hearingWithin: seconds(SHORT_DEADLINE_SECONDS), reminders: [seconds(REMINDER_BEFORE_SECONDS)] },
} satisfies Record<string, Policy>;
export type PolicyName = keyof typeof POLICIES;

/** The people of a scenario, each with a token, and the scenario's own departments. */
export interface Cast {
  caseworker: string;
  admin: string;
  arbiter: string;
  arbiterId: string;
  departments: Record<PolicyName, string>;
  managers: Record<string, string>;
  /** Prefix of every Idempotency-Key of the scenario. */
  run: string;
}

/** Departments of the scenario's own (one per policy), their managers, and an arbiter from the register. */
export async function castFor(api: ApiClient, scenario: string): Promise<Cast> {
  const { token } = faultSystem();
  const run = `${scenario}-${randomBytes(4).toString('hex')}`;
  const admin = await token('admin', 'admin-faults');
  const departments = {} as Record<PolicyName, string>;
  const managers: Record<string, string> = {};
  for (const [name, policy] of Object.entries(POLICIES) as [PolicyName, Policy][]) {
    const code = await createDepartment(api, admin, `Fault suite ${scenario} ${name}`, policy);
    departments[name] = code;
    managers[code] = await token('manager', `manager-${code}`, code);
  }
  const arbiterId = `arbiter-${run}`;
  await api.expect(201, 'POST', '/v1/arbiters', {
    token: admin,
    body: { id: arbiterId, name: 'Robin Arbiter', email: `${arbiterId}@arbiters.example.org` },
  });
  return { caseworker: await token('caseworker', 'caseworker-faults'), admin, arbiter: await token('arbiter', arbiterId), arbiterId, departments, managers, run };
}

/** A department of the scenario's own, through the API as an administrator would add one; answers its code. */
export async function createDepartment(api: ApiClient, admin: string, name: string, policy: Policy): Promise<string> {
  const code = `F${randomBytes(4).toString('hex').toUpperCase()}`;
  await api.expect(201, 'POST', '/v1/departments', { token: admin, body: { code, name, policy } });
  return code;
}

type Actor = 'caseworker' | 'manager' | 'arbiter';
interface Move {
  by: Actor;
  path: string;
  body: (cast: Cast) => Record<string, unknown>;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const decision = (outcome: DecisionOutcome, assessment: Assessment) => ({ outcome, assessment, reasons: `Decided (${outcome}) on the business case.` });
export const DECISIONS = { overrule: decision('overrule', STRONG_CASE), dismiss: decision('dismiss', WEAK_CASE) };

export const MOVES = {
  concede: { by: 'manager', path: 'manager-response', body: () => ({ position: 'concede', statement: 'We will support the spin-out.' }) },
  contest: { by: 'manager', path: 'manager-response', body: () => ({ position: 'contest', statement: 'We gave it due consideration.' }) },
  assignArbiter: { by: 'caseworker', path: 'arbiter', body: (cast) => ({ arbiterId: cast.arbiterId }) },
  scheduleHearing: { by: 'caseworker', path: 'hearing', body: () => ({ scheduledFor: inAnHour(), location: 'Room 101, Petty France' }) },
  hold: { by: 'arbiter', path: 'hearing/outcome', body: () => ({ outcome: 'held', notes: 'Both sides heard.' }) },
  overrule: { by: 'arbiter', path: 'decision', body: () => DECISIONS.overrule },
  dismiss: { by: 'arbiter', path: 'decision', body: () => DECISIONS.dismiss },
  comply: { by: 'manager', path: 'compliance', body: () => ({ statement: 'The spin-out is under way.' }) },
  withdraw: { by: 'caseworker', path: 'withdraw', body: () => ({ reason: 'Staff changed their minds.' }) },
  extendManagerResponse: {
    by: 'caseworker',
    path: 'deadlines/managerResponse/extend',
    body: () => ({ until: new Date(Date.now() + 2 * 3_600_000).toISOString(), reason: 'The manager is on leave.' }),
  },
} satisfies Record<string, Move>;
export type MoveName = keyof typeof MOVES;

/** Waits on deadlines the engine itself must act on. */
const WAITS = {
  managerDefault: (appeal: AppealView) => appeal.managerDefaulted,
  hearingMissed: (appeal: AppealView) => appeal.overdue,
} satisfies Record<string, (appeal: AppealView) => boolean>;
type WaitName = keyof typeof WAITS;

interface PathPlan {
  policy: PolicyName;
  moves: (MoveName | WaitName)[];
  status: AppealStatus;
  events: string[];
}

/** Heard and decided: the decision's letter is added right after it. */
const HEARD = ['arbiter_assigned', 'hearing_scheduled', 'hearing_held', 'decision_made', 'document_added'];

/** Every path of the lifecycle, and the timeline each must leave: each step exactly once. */
export const PATHS = {
  conceded: { policy: 'calm', moves: ['concede'], status: 'conceded', events: ['submitted', 'manager_conceded'] },
  dismissed: {
    policy: 'calm',
    moves: ['contest', 'assignArbiter', 'scheduleHearing', 'hold', 'dismiss'],
    status: 'dismissed',
    events: ['submitted', 'manager_contested', ...HEARD],
  },
  complied: {
    policy: 'calm',
    moves: ['contest', 'assignArbiter', 'scheduleHearing', 'hold', 'overrule', 'comply'],
    status: 'complied',
    events: ['submitted', 'manager_contested', ...HEARD, 'compliance_confirmed'],
  },
  withdrawn: {
    policy: 'calm',
    moves: ['contest', 'assignArbiter', 'withdraw'],
    status: 'withdrawn',
    events: ['submitted', 'manager_contested', 'arbiter_assigned', 'withdrawn'],
  },
  managerDefault: {
    policy: 'managerDeadline',
    moves: ['managerDefault', 'assignArbiter', 'withdraw'],
    status: 'withdrawn',
    events: ['submitted', 'reminder_sent', 'manager_defaulted', 'arbiter_assigned', 'withdrawn'],
  },
  missedHearing: {
    policy: 'hearingDeadline',
    moves: ['contest', 'hearingMissed', 'assignArbiter', 'scheduleHearing', 'hold', 'dismiss'],
    status: 'dismissed',
    events: ['submitted', 'manager_contested', 'reminder_sent', 'deadline_missed', ...HEARD],
  },
} satisfies Record<string, PathPlan>;
export type PathName = keyof typeof PATHS;
export const PATH_NAMES = Object.keys(PATHS) as PathName[];

/** What an appeal must look like at the end: checked by invariants.ts. */
export interface Expectation {
  id: string;
  label: string;
  status: AppealStatus;
  /** The timeline's event types, in order. */
  events: string[];
  managerDefaulted: boolean;
  decision: { outcome: DecisionOutcome; assessment: Assessment; reasons: string; arbiterId: string } | null;
  /** Its workflow must complete (the status is final). */
  finishes: boolean;
}

const WAIT_TIMEOUT_MS = 180_000;

/** Open an appeal in a department, with an Idempotency-Key. */
export async function openAppeal(api: ApiClient, cast: Cast, department: string, key: string): Promise<AppealView> {
  return api.expect(201, 'POST', '/v1/appeals', { token: cast.caseworker, key, body: submission(department) });
}

/** Take one step on an appeal, with its own Idempotency-Key; answers the appeal as it now stands. The body is made once, so every retry sends the same. */
export async function move(api: ApiClient, cast: Cast, appeal: AppealView, name: MoveName, key: string): Promise<AppealView> {
  const step: Move = MOVES[name];
  const token = step.by === 'manager' ? cast.managers[appeal.department] : cast[step.by];
  return api.expect(200, 'POST', `/v1/appeals/${appeal.id}/${step.path}`, { token, key, body: step.body(cast) });
}

/** Poll the appeal (through the API, retrying 503s) until `done`, for at most WAIT_TIMEOUT_MS. */
export async function awaitAppeal(api: ApiClient, cast: Cast, id: string, what: string, done: (appeal: AppealView) => boolean): Promise<AppealView> {
  const giveUpAt = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const appeal: AppealView = await api.expect(200, 'GET', `/v1/appeals/${id}`, { token: cast.caseworker });
    if (done(appeal)) return appeal;
    if (Date.now() > giveUpAt) throw new Error(`appeal ${id} never reached "${what}" in ${WAIT_TIMEOUT_MS} ms: ${JSON.stringify(appeal)}`);
    await pause(250);
  }
}

/** Open an appeal and take it through `moves` (no waits), e.g. to where a scenario's fault begins. */
export async function appealAfter(api: ApiClient, cast: Cast, label: string, moves: MoveName[], policy: PolicyName = 'calm'): Promise<AppealView> {
  let appeal = await openAppeal(api, cast, cast.departments[policy], `${cast.run}:${label}:open`);
  for (const name of moves) appeal = await move(api, cast, appeal, name, `${cast.run}:${label}:${name}`);
  return appeal;
}

/** Drive one appeal along a path, from opening to its final status; answers what it must look like. */
export async function drivePath(api: ApiClient, cast: Cast, path: PathName, label: string): Promise<Expectation> {
  const plan: PathPlan = PATHS[path];
  let appeal = await openAppeal(api, cast, cast.departments[plan.policy], `${cast.run}:${label}:open`);
  let decided: Expectation['decision'] = null;
  for (const name of plan.moves) {
    if (name in WAITS) {
      appeal = await awaitAppeal(api, cast, appeal.id, name, WAITS[name as WaitName]);
      continue;
    }
    appeal = await move(api, cast, appeal, name as MoveName, `${cast.run}:${label}:${name}`);
    if (name === 'overrule' || name === 'dismiss') decided = { ...DECISIONS[name], arbiterId: cast.arbiterId };
  }
  return {
    id: appeal.id,
    label,
    status: plan.status,
    events: plan.events,
    managerDefaulted: path === 'managerDefault',
    decision: decided,
    finishes: true,
  };
}

/** `count` appeals spread evenly over every path, driven all at once; `onDone` hears of each that reaches its end. */
export async function driveAllPaths(api: ApiClient, cast: Cast, count: number, onDone: () => void = () => undefined): Promise<Expectation[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const expectation = await drivePath(api, cast, PATH_NAMES[index % PATH_NAMES.length], `appeal-${index}`);
      onDone();
      return expectation;
    }),
  );
}
