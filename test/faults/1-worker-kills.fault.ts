/**
 * Scenario 1, worker SIGKILL: the worker is killed at random moments, and restarted after each
 * kill, while 100 appeals are driven at once through every path of the lifecycle (deadlines of
 * seconds run out meanwhile). Afterwards every appeal is in its expected final status and the
 * database holds every step, notice and decision exactly once.
 */
import { expect } from 'chai';
import { castFor, driveAllPaths, PATH_NAMES, SHORT_DEADLINE_SECONDS } from './appeals';
import { faultTiming, pause } from './client';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';

const APPEALS = 100;
const KILLS = 8;
/** How long a worker runs before it is killed: a random moment within this. */
const RUNS_FOR_MS = [1_000, 5_000] as const;

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
      await pause(timing.between(...RUNS_FOR_MS));
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
      'short deadlines': `${SHORT_DEADLINE_SECONDS} s`,
      seed: timing.seed,
      'drive wall': driven,
      ...elapsed(),
    });
  });
});
