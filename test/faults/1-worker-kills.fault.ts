/**
 * Scenario 1, worker SIGKILL: the worker is killed at random moments, and restarted after each
 * kill, while 100 appeals are driven at once through every path of the lifecycle (deadlines of
 * seconds run out meanwhile). Afterwards every appeal is in its expected final status and the
 * database holds every step, notice and decision exactly once.
 */
import { expect } from 'chai';
import { castFor, driveAllPaths, PATH_NAMES, SHORT_DEADLINE_SECONDS } from './appeals';
import { faultTiming, pause } from './client';
import { faultSystem } from './system';
import { waitFor } from '../support/mail';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';

const APPEALS = 100;
const KILLS = 8;
/**
 * Each worker is killed at a random moment within this once it has recorded PROGRESS steps, so
 * the appeals move on between kills however fast the machine is.
 */
const KILL_WITHIN_MS = [0, 3_000] as const;
const PROGRESS = 10;

describe('1. worker SIGKILL', function () {
  this.timeout(600_000);
  const stack = withStack('worker-kills');

  it(`loses and doubles nothing while the worker is killed ${KILLS} times under load`, async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'worker-kills');
    const timing = faultTiming();

    let unfinished = APPEALS;
    const driving = driveAllPaths(api, cast, APPEALS, () => (unfinished -= 1));
    driving.catch(() => undefined); // awaited below; a failure meanwhile is reported there
    const inFlightAtKills: number[] = [];
    for (let kill = 0; kill < KILLS && unfinished > 0; kill++) {
      const before = await stepsRecorded(cast.departments);
      await waitFor(`${PROGRESS} steps recorded by worker ${kill + 1}`, async () => ((await stepsRecorded(cast.departments)) >= before + PROGRESS ? true : undefined), 180_000);
      await pause(timing.between(...KILL_WITHIN_MS));
      inFlightAtKills.push(unfinished);
      await stack().worker.kill();
      await stack().restartWorker();
    }
    const expected = await driving;
    const driven = elapsed().wall;

    expect(inFlightAtKills, `every kill lands while appeals are in flight (seed ${timing.seed})`).to.have.length(KILLS);
    conclude('1 worker SIGKILL', stack(), await checkInvariants(expected, Object.values(cast.departments)), {
      'appeals driven': APPEALS,
      paths: PATH_NAMES.length,
      kills: inFlightAtKills.length,
      'fewest appeals in flight at a kill': Math.min(...inFlightAtKills),
      'steps recorded before each kill': `${PROGRESS}+`,
      'short deadlines': `${SHORT_DEADLINE_SECONDS} s`,
      seed: timing.seed,
      'drive wall': driven,
      ...elapsed(),
    });
  });
});

/** Timeline events recorded so far for the scenario's appeals. */
async function stepsRecorded(departments: Record<string, string>): Promise<number> {
  const [{ count }] = await faultSystem().db.query<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM timeline_events e JOIN appeals a ON a.id = e.appeal_id WHERE a.department_code = ANY($1)`,
    [Object.values(departments)],
  );
  return count;
}
