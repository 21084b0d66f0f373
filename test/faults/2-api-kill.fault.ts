/**
 * Scenario 2, API SIGKILL: 50 POST /v1/appeals and 50 actions are sent at once, each with an
 * Idempotency-Key, and the API is killed while they are in flight. The client retries each call
 * with the same key once the API is back: exactly 50 appeals are opened, each action taken once.
 */
import { expect } from 'chai';
import type { AppealStatus } from '../../domain/lifecycle';
import type { AppealView } from '../../domain/appeal';
import { waitFor } from '../support/mail';
import { castFor, move, openAppeal, type Expectation, type MoveName } from './appeals';
import { faultTiming } from './client';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';
import { faultSystem } from './system';

const OPENS = 50;
const ACTIONS = 50;

/** The actions taken on the appeals opened beforehand, and what each leaves. */
const ACTION_PLAN: { move: MoveName; status: AppealStatus; event: string; finishes: boolean }[] = [
  { move: 'contest', status: 'awaiting_hearing', event: 'manager_contested', finishes: false },
  { move: 'concede', status: 'conceded', event: 'manager_conceded', finishes: true },
  { move: 'withdraw', status: 'withdrawn', event: 'withdrawn', finishes: true },
  { move: 'extendManagerResponse', status: 'awaiting_manager_response', event: 'deadline_extended', finishes: false },
];

describe('2. API SIGKILL', function () {
  this.timeout(600_000);
  const stack = withStack('api-kill');

  it(`opens exactly ${OPENS} appeals and takes each of ${ACTIONS} actions once when the API is killed mid-flight`, async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'api-kill');
    const department = cast.departments.calm;
    const prepared = await Promise.all(Array.from({ length: ACTIONS }, (_, i) => openAppeal(api, cast, department, `${cast.run}:prepared-${i}:open`)));
    const timing = faultTiming();
    const killAfterClaims = timing.between(1, 20);

    let answeredBeforeKill = 0;
    let killed = false;
    const counted = <T>(call: Promise<T>) => call.finally(() => (answeredBeforeKill += killed ? 0 : 1));
    const opening = Array.from({ length: OPENS }, (_, i) => counted(openAppeal(api, cast, department, `${cast.run}:new-${i}:open`)));
    const acting = prepared.map((appeal, i) => counted(move(api, cast, appeal, ACTION_PLAN[i % ACTION_PLAN.length].move, `${cast.run}:prepared-${i}:act`)));
    for (const call of [...opening, ...acting]) call.catch(() => undefined); // awaited below; a failure meanwhile is reported there

    // Kill once the API is mid-way: some of the new appeals' keys are claimed, most calls unanswered.
    await waitFor('the API to claim the first keys', async () => ((await claimedKeys(`${cast.run}:new-%`)) >= killAfterClaims ? true : undefined), 60_000);
    killed = true;
    const inFlight = OPENS + ACTIONS - answeredBeforeKill;
    await stack().api.kill();
    await stack().restartApi();

    const [opened, acted] = await Promise.all([Promise.all(opening), Promise.all(acting)]);
    expect(inFlight, 'calls in flight when the API was killed').to.be.greaterThan(0);
    expect(await claimedKeys(`${cast.run}:new-%`), 'one key row per new appeal').to.equal(OPENS);

    const expected: Expectation[] = [
      ...opened.map((appeal, i) => leaves(appeal, `new-${i}`, 'awaiting_manager_response', ['submitted'], false)),
      ...acted.map((appeal, i) => {
        const plan = ACTION_PLAN[i % ACTION_PLAN.length];
        return leaves(appeal, `prepared-${i}`, plan.status, ['submitted', plan.event], plan.finishes);
      }),
    ];
    conclude('2 API SIGKILL', stack(), await checkInvariants(expected, [department]), {
      'appeals opened during the kill': OPENS,
      'actions during the kill': ACTIONS,
      'calls in flight at the kill': inFlight,
      seed: timing.seed,
      ...elapsed(),
    });
  });
});

async function claimedKeys(pattern: string): Promise<number> {
  const [{ count }] = await faultSystem().db.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM idempotency_keys WHERE key LIKE $1`, [pattern]);
  return count;
}

function leaves(appeal: AppealView, label: string, status: AppealStatus, events: string[], finishes: boolean): Expectation {
  return { id: appeal.id, label, status, events, managerDefaulted: false, decision: null, finishes };
}
