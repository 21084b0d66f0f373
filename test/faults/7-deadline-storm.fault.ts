/**
 * Scenario 7, deadline storm: 1,000 appeals whose manager deadline falls due at the same instant.
 * Every one defaults exactly once; the numbers say how long after the due instant the defaults
 * were recorded (lag p50, p99, max).
 *
 * Getting 1,000 deadlines into one second: the appeals are opened straight through the Temporal
 * client at high concurrency (the API opens about 8 a second today, issue 11), under a policy
 * whose manager deadline is EXTEND_WITHIN seconds after opening, and each is extended through the
 * API, right after it opens, to one instant T (a deadline only moves later, so T lies beyond the
 * last appeal's own deadline). T is set from the rate of CALIBRATION appeals opened and extended
 * the same way, in a department of their own, before the storm's appeals. Should the machine slow
 * down so much that the rest could not be set up in time, T moves later and the appeals set up so
 * far are extended again (their timelines then show two extensions); an appeal opened too late for
 * T still makes the scenario fail with the numbers, rather than shrink.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { expect } from 'chai';
import type { appealWorkflow } from '../../workflows';
import { appealWorkflowId, openAppealUpdate } from '../../workflows/shared';
import type { AppealView } from '../../domain/appeal';
import { createDepartment, type Expectation } from './appeals';
import { inParallel } from './client';
import { checkInvariants } from './invariants';
import { percentile, stopwatch } from './report';
import { conclude, withStack, type Stack } from './stack';
import { faultSystem } from './system';
import { QUIET_POLICY, seconds, submission } from '../support/appeals';
import { waitFor } from '../support/mail';

/** FAULT_STORM_APPEALS (tooling) runs a smaller storm; the issue asks for 1,000. */
const STORM = Number(process.env.FAULT_STORM_APPEALS) || 1_000;
/** Enough to keep the worker and Temporal busy; more only queues, and an appeal must be extended in time. */
const CONCURRENCY = 20;
const CALIBRATION = 100;
/** The storm's appeals are set up this many at a time, the instant checked after each batch. */
const BATCH = 100;
/** Each appeal is extended within this many seconds of its opening, before its own deadline. */
const EXTEND_WITHIN = 15;
/** T leaves this much room over the estimated time to set up the storm. */
const SAFETY = 1.2;
/** Where the calibration appeals' deadlines go: well after the storm, so they never default during it. */
const CALIBRATION_DEADLINE_MS = 3_600_000;
const DRAIN_TIMEOUT_MS = 300_000;

describe('7. deadline storm', function () {
  this.timeout(900_000);
  // Setting the storm up sends 1,000 extensions at once: let each wait for its step as long as the default allows.
  const stack = withStack('deadline-storm', () => ({ actionTimeoutSeconds: 30 }));

  it(`defaults each of ${STORM} appeals due in the same second exactly once`, async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const { token } = faultSystem();
    const caseworker = await token('caseworker', 'caseworker-faults');
    const admin = await token('admin', 'admin-faults');
    const policy = { ...QUIET_POLICY, managerResponse: seconds(EXTEND_WITHIN) };
    const calibration = await createDepartment(api, admin, 'Fault suite deadline storm calibration', policy);
    const department = await createDepartment(api, admin, 'Fault suite deadline storm', policy);
    const extend = (appeal: AppealView, dueAt: Date) =>
      api.expect(200, 'POST', `/v1/appeals/${appeal.id}/deadlines/managerResponse/extend`, {
        token: caseworker,
        key: `storm:${appeal.id}:${dueAt.getTime()}`,
        body: { until: dueAt.toISOString(), reason: 'All together now.' },
      });
    const openAndExtend = async (into: string, dueAt: Date) => {
      const appeal = await openDirect(stack(), into);
      if (Date.parse(appeal.deadlines.managerResponseDue ?? '') >= dueAt.getTime()) return { appeal, late: true };
      await extend(appeal, dueAt);
      return { appeal, late: false };
    };
    /** The instant T for work that takes `seconds` from now: a whole second, after the last own deadline. */
    const instantAfter = (seconds: number) => new Date(Math.ceil((Date.now() + (seconds + EXTEND_WITHIN) * 1000) / 1000) * 1000);

    // The rate of the second half of the calibration: the first pays for warming up.
    const notDuringTheStorm = new Date(Date.now() + CALIBRATION_DEADLINE_MS);
    let calibrated = 0;
    let halfway = 0;
    await inParallel(range(CALIBRATION), CONCURRENCY, async () => {
      await openAndExtend(calibration, notDuringTheStorm);
      if (++calibrated === CALIBRATION / 2) halfway = Date.now();
    });
    const calibratedRate = CALIBRATION / 2 / ((Date.now() - halfway) / 1000);

    // The storm is set up in batches. When the machine slows down so much that the rest would
    // not be set up in time, T moves later: every appeal set up so far is extended again to it.
    let dueAt = instantAfter((SAFETY * STORM) / calibratedRate);
    const appeals: AppealView[] = [];
    const extensions = new Map<string, number>();
    const extended = (appeal: AppealView) => extensions.set(appeal.id, (extensions.get(appeal.id) ?? 0) + 1);
    let late = 0;
    let postponements = 0;
    while (appeals.length < STORM) {
      const batchStarted = Date.now();
      const batch = await inParallel(range(Math.min(BATCH, STORM - appeals.length)), CONCURRENCY, () => openAndExtend(department, dueAt));
      for (const { appeal, late: tooLate } of batch) {
        appeals.push(appeal);
        if (tooLate) late += 1;
        else extended(appeal);
      }
      const rate = batch.length / ((Date.now() - batchStarted) / 1000);
      const rest = STORM - appeals.length;
      if (Date.now() + ((SAFETY * rest) / rate + EXTEND_WITHIN) * 1000 <= dueAt.getTime()) continue;
      postponements += 1;
      dueAt = instantAfter((SAFETY * (rest + appeals.length)) / rate);
      await inParallel(appeals, CONCURRENCY, async (appeal) => {
        await extend(appeal, dueAt);
        extended(appeal);
      });
    }
    const setUp = elapsed().wall;
    const setUpDone = Date.now();
    expect(late, `appeals opened too late for the instant ${dueAt.toISOString()}`).to.equal(0);
    expect(Date.now(), 'the storm was set up before its instant').to.be.lessThan(dueAt.getTime());

    const lags = await awaitDefaults(appeals, dueAt);
    const expected: Expectation[] = appeals.map((appeal, i) => ({
      id: appeal.id,
      label: `storm-${i}`,
      status: 'awaiting_hearing',
      events: ['submitted', ...Array<'deadline_extended'>(extensions.get(appeal.id) ?? 0).fill('deadline_extended'), 'manager_defaulted'],
      managerDefaulted: true,
      decision: null,
      finishes: false,
    }));
    conclude('7 deadline storm', stack(), await checkInvariants(expected, [department]), {
      'appeals due at one instant': STORM,
      'due at': dueAt.toISOString(),
      'opened (Temporal client) and extended (API) per s, calibrated': calibratedRate.toFixed(1),
      'instant moved later (slow machine)': postponements,
      'idle before the instant': `${Math.max(0, Math.round((dueAt.getTime() - setUpDone) / 1000))} s`,
      'set up in': setUp,
      'defaults recorded': lags.length,
      'lag p50': `${percentile(lags, 0.5)} ms`,
      'lag p99': `${percentile(lags, 0.99)} ms`,
      'lag max (due instant to last default)': `${Math.max(...lags)} ms`,
      ...elapsed(),
    });
  });
});

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Open an appeal as the API would, straight through the Temporal client (only the setting-up skips the API). */
async function openDirect(stack: Stack, department: string): Promise<AppealView> {
  const appealId = randomUUID();
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof appealWorkflow>('appealWorkflow', {
    workflowId: appealWorkflowId(appealId),
    taskQueue: stack.taskQueue,
    args: [{ appealId, submission: submission(department) as never, submittedBy: { sub: 'caseworker-faults', role: 'caseworker' } }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return faultSystem().temporal((client) => client.workflow.executeUpdateWithStart(openAppealUpdate, { startWorkflowOperation }));
}

/** Wait until every appeal has defaulted; answers each default's lag after the due instant, in ms. */
async function awaitDefaults(appeals: AppealView[], dueAt: Date): Promise<number[]> {
  const { db } = faultSystem();
  const ids = appeals.map((appeal) => appeal.id);
  const defaults = () =>
    db.query<{ lag: number }[]>(
      `SELECT (extract(epoch FROM at) * 1000 - $2::float8)::int AS lag FROM timeline_events WHERE appeal_id = ANY($1) AND type = 'manager_defaulted'`,
      [ids, dueAt.getTime()],
    );
  await waitFor(`all ${appeals.length} defaults`, async () => ((await defaults()).length >= appeals.length ? true : undefined), dueAt.getTime() - Date.now() + DRAIN_TIMEOUT_MS);
  return (await defaults()).map((row) => row.lag);
}
