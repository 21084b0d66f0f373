/**
 * Scenario 3, PostgreSQL stopped for 30 s during load: /readyz answers 503 meanwhile, and calls
 * answer 503 problem+json within ACTION_TIMEOUT_SECONDS, never 500, never a hang. Once it is back
 * every accepted action is recorded once and every appeal finishes.
 */
import { expect } from 'chai';
import { appealAfter, castFor, driveAllPaths, PATH_NAMES, type Expectation } from './appeals';
import { ApiClient, NoAnswer, pause, type Answer } from './client';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';
import { ACTION_TIMEOUT_SECONDS, faultSystem } from './system';
import { submission } from '../support/appeals';
import { waitFor } from '../support/mail';

const APPEALS = 30;
const OUTAGE_MS = 30_000;
/** Opened before the outage, so the drive is mid-way when PostgreSQL stops. */
const OPENED_BEFORE_STOP = 15;
const PROBE_EVERY_MS = 1_000;
/** The bound on any answer while PostgreSQL is down: the action timeout, plus a second for the HTTP round trip. */
const ANSWER_WITHIN_MS = ACTION_TIMEOUT_SECONDS * 1000 + 1_000;

describe('3. PostgreSQL stopped for 30 s', function () {
  this.timeout(600_000);
  const stack = withStack('postgres-outage');

  it('answers 503 quickly while it is down, and loses and doubles nothing once it is back', async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'postgres-outage');
    const probed = await appealAfter(api, cast, 'probed', []);
    const system = faultSystem();

    const driving = driveAllPaths(api, cast, APPEALS);
    driving.catch(() => undefined); // awaited below; a failure meanwhile is reported there
    await waitFor('the drive to be under way', async () => ((await appealsIn(Object.values(cast.departments))) >= OPENED_BEFORE_STOP + 1 ? true : undefined), 120_000);
    await system.stopPostgres();

    // Probes of their own, so their answers are told apart from the drive's retries.
    const probes = new ApiClient(api.baseUrl);
    const withdrawal = { token: cast.caseworker, key: `${cast.run}:probed:withdraw`, body: { reason: 'Staff changed their minds.' } };
    const calls: [string, string, Parameters<ApiClient['send']>[2]][] = [
      ['GET', '/readyz', {}],
      ['GET', `/v1/appeals/${probed.id}`, { token: cast.caseworker }],
      ['POST', `/v1/appeals/${probed.id}/withdraw`, withdrawal],
      ['POST', '/v1/appeals', { token: cast.caseworker, key: `${cast.run}:probe-open`, body: submission(cast.departments.calm) }],
    ];
    const during: { call: string; answer: Answer | string }[] = [];
    const restartAt = Date.now() + OUTAGE_MS;
    while (Date.now() < restartAt) {
      const round = Date.now();
      const answers = await Promise.all(calls.map(([method, path, request]) => probes.send(method, path, request).catch((error: NoAnswer) => error.message)));
      during.push(...answers.map((answer, i) => ({ call: `${calls[i][0]} ${calls[i][1]}`, answer })));
      await pause(Math.max(0, Math.min(PROBE_EVERY_MS - (Date.now() - round), restartAt - Date.now())));
    }
    await system.startPostgres();
    const readyAgain = stopwatch();
    await waitFor('/readyz to answer 200 again', async () => ((await probes.send('GET', '/readyz')).status === 200 ? true : undefined), 120_000);
    const readyAfter = readyAgain().wall;

    const answersDuring = during.map(({ call, answer }) =>
      typeof answer === 'string' ? `${call}: no answer (${answer})` : `${call}: ${answer.status}${answer.ms > ANSWER_WITHIN_MS ? ` after ${answer.ms} ms` : ''}`,
    );
    const wrong = answersDuring.filter((line) => !/: 503$/.test(line));
    expect(wrong, `every call while PostgreSQL was down answered 503 within ${ANSWER_WITHIN_MS} ms`).to.deep.equal([]);
    expect(probes.traffic.defects, 'every 503 was problem+json').to.deep.equal([]);

    // The withdrawal refused meanwhile is sent again with its key, as a client would.
    await api.expect(200, 'POST', `/v1/appeals/${probed.id}/withdraw`, withdrawal);
    const expected: Expectation[] = [
      ...(await driving),
      { id: probed.id, label: 'probed', status: 'withdrawn', events: ['submitted', 'withdrawn'], managerDefaulted: false, decision: null, finishes: true },
    ];
    conclude('3 PostgreSQL stopped', stack(), await checkInvariants(expected, Object.values(cast.departments)), {
      'appeals driven': APPEALS + 1,
      paths: PATH_NAMES.length,
      outage: `${OUTAGE_MS / 1000} s`,
      'probes while down': during.length,
      'probes answered 503': during.length - wrong.length,
      'slowest probe': `${Math.max(...during.map(({ answer }) => (typeof answer === 'string' ? Infinity : answer.ms)))} ms`,
      'ready again after restart': readyAfter,
      ...elapsed(),
    });
  });
});

async function appealsIn(departments: string[]): Promise<number> {
  const [{ count }] = await faultSystem().db.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM appeals WHERE department_code = ANY($1)`, [departments]);
  return count;
}
