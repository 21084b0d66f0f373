/**
 * Scenario 4, the Temporal dev server killed mid-load and restarted on its SQLite file: the API
 * answers 503 while it is down, every appeal resumes afterwards, and the timers that fell due
 * while it was down fire once (a reminder and a manager default each, exactly once).
 */
import { expect } from 'chai';
import type { AppealView } from '../../domain/appeal';
import { castFor, drivePath, PATH_NAMES } from './appeals';
import { ApiClient, NoAnswer, pause } from './client';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';
import { faultSystem } from './system';
import { submission } from '../support/appeals';
import { waitFor } from '../support/mail';

/** Appeals whose manager deadline (and its reminder) falls due while Temporal is down. */
const DUE_WHILE_DOWN = 20;
/** Appeals driven through every other path meanwhile. */
const DRIVEN = 12;
const DOWN_AT_LEAST_MS = 8_000;
const PROBE_EVERY_MS = 1_000;

describe('4. Temporal dev server killed and restarted', function () {
  this.timeout(600_000);
  const stack = withStack('temporal-restart');

  it('answers 503 while it is down, then every appeal resumes and each timer that fell due fires once', async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'temporal-restart');
    const system = faultSystem();

    const others = PATH_NAMES.filter((path) => path !== 'managerDefault');
    const driving = Promise.all([
      ...Array.from({ length: DUE_WHILE_DOWN }, (_, i) => drivePath(api, cast, 'managerDefault', `due-${i}`)),
      ...Array.from({ length: DRIVEN }, (_, i) => drivePath(api, cast, others[i % others.length], `driven-${i}`)),
    ]);
    driving.catch(() => undefined); // awaited below; a failure meanwhile is reported there
    const dueDepartment = cast.departments.managerDeadline;
    await waitFor('the appeals due while down to be opened', async () => ((await dueAts(dueDepartment)).length >= DUE_WHILE_DOWN ? true : undefined), 120_000);

    await system.killTemporal();
    const killedAt = Date.now();
    const dues = await dueAts(dueDepartment);
    const downUntil = Math.max(killedAt + DOWN_AT_LEAST_MS, ...dues.map((due) => due + 1_000));
    const probes = new ApiClient(api.baseUrl);
    const probed = (await system.db.query<{ id: string }[]>(`SELECT id FROM appeals WHERE department_code = $1 LIMIT 1`, [dueDepartment]))[0].id;
    const calls: [string, string, Parameters<ApiClient['send']>[2], number][] = [
      ['GET', '/readyz', {}, 503],
      ['POST', '/v1/appeals', { token: cast.caseworker, key: `${cast.run}:probe-open`, body: submission(cast.departments.calm) }, 503],
      ['POST', `/v1/appeals/${probed}/manager-response`, { token: cast.managers[dueDepartment], key: `${cast.run}:probe-contest`, body: { position: 'contest', statement: 'Late.' } }, 503],
      // Reads come from PostgreSQL and go on working.
      ['GET', `/v1/appeals/${probed}`, { token: cast.caseworker }, 200],
    ];
    const wrong: string[] = [];
    let probesSent = 0;
    while (Date.now() < downUntil) {
      const round = Date.now();
      const answers = await Promise.all(calls.map(([method, path, request]) => probes.send(method, path, request).catch((error: NoAnswer) => error.message)));
      probesSent += calls.length;
      answers.forEach((answer, i) => {
        const [method, path, , status] = calls[i];
        if (typeof answer === 'string' || answer.status !== status) wrong.push(`${method} ${path}: ${typeof answer === 'string' ? answer : answer.status}, expected ${status}`);
      });
      await pause(Math.max(0, Math.min(PROBE_EVERY_MS - (Date.now() - round), downUntil - Date.now())));
    }
    const downFor = Date.now() - killedAt;
    await system.startTemporal();
    const dueWhileDown = dues.filter((due) => due > killedAt && due < killedAt + downFor).length;

    const expected = await driving;
    expect(wrong, 'answers while Temporal was down').to.deep.equal([]);
    expect(probes.traffic.defects, 'every 503 was problem+json').to.deep.equal([]);
    expect(dueWhileDown, 'manager deadlines that fell due while Temporal was down').to.be.greaterThan(0);
    const probedNow: AppealView = await api.expect(200, 'GET', `/v1/appeals/${probed}`, { token: cast.caseworker });
    expect(probedNow.managerDefaulted, 'the contest refused while Temporal was down never took effect').to.equal(true);

    conclude('4 Temporal restarted', stack(), await checkInvariants(expected, Object.values(cast.departments)), {
      'appeals driven': DUE_WHILE_DOWN + DRIVEN,
      'down for': `${(downFor / 1000).toFixed(1)} s`,
      'manager deadlines due while down': dueWhileDown,
      'probes while down': probesSent,
      'probes answered as expected': probesSent - wrong.length,
      ...elapsed(),
    });
  });
});

/** The manager deadlines of the appeals opened so far in a department, as instants. */
async function dueAts(department: string): Promise<number[]> {
  const rows = await faultSystem().db.query<{ due: Date }[]>(`SELECT manager_response_due AS due FROM appeals WHERE department_code = $1`, [department]);
  return rows.map((row) => row.due.getTime());
}
