import { expect } from 'chai';
import { appealWorkflowId } from '../workflows/shared';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { keepHistory } from './support/histories';
import { castFor, createDepartment, eventually, expectCall, seconds, steps, submission, timelineTypes, type Cast } from './support/appeals';
import { startServer } from '../api/server';
import { failingOnceAfterWriting, newTaskQueue, openAppealOn, runWorker } from './support/workers';

/** SQL checks that nothing of an appeal was written twice. */
async function expectWrittenOnce(id: string): Promise<void> {
  const { dataSource } = harness();
  const [timeline] = await dataSource.query(
    `SELECT count(*)::int AS events, count(DISTINCT step_key)::int AS keys, max(seq) AS last
     FROM timeline_events WHERE appeal_id = $1`,
    [id],
  );
  expect(timeline.events).to.equal(timeline.keys);
  expect(timeline.last).to.equal(timeline.events);
  const duplicates = await dataSource.query(
    `SELECT kind, recipient_role, count(*) FROM notifications WHERE appeal_id = $1
     GROUP BY kind, deadline_kind, recipient_role, due_at HAVING count(*) > 1`,
    [id],
  );
  expect(duplicates).to.deep.equal([]);
}

async function countOf(id: string, type: string): Promise<number> {
  return (await timelineTypes(id)).filter((t) => t === type).length;
}

describe('exactly once, across retries and restarts', () => {
  it('records every step once when each activity fails right after writing', async () => {
    const department = await createDepartment({ managerResponse: seconds(2), reminders: [seconds(1)] });
    const cast = await castFor(department);
    const flaky = { failures: () => 0 };
    const worker = await runWorker(newTaskQueue(), (activities) => {
      const wrapped = failingOnceAfterWriting(activities);
      flaky.failures = wrapped.failures;
      return wrapped.activities;
    });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await eventually(cast, opened.id, (a) => a.managerDefaulted);
      for (const step of ['assignArbiter', 'scheduleHearing', 'hold', 'overrule', 'comply'] as const) {
        await steps[step](cast, opened.id);
      }

      expect(await timelineTypes(opened.id)).to.deep.equal([
        'submitted',
        'reminder_sent',
        'manager_defaulted',
        'arbiter_assigned',
        'hearing_scheduled',
        'hearing_held',
        'decision_made',
        'document_added',
        'compliance_confirmed',
      ]);
      expect(flaky.failures()).to.equal(8);
      await expectWrittenOnce(opened.id);
      const result = await harness().client.workflow.getHandle(appealWorkflowId(opened.id)).result();
      expect(result).to.equal('complied');
    } finally {
      await worker.stop();
    }
  });

  it('carries on after the worker is restarted mid-appeal, firing each deadline once', async () => {
    const department = await createDepartment({ hearingWithin: seconds(3), reminders: [seconds(2)] });
    const cast = await castFor(department);
    const taskQueue = newTaskQueue();
    const first = await runWorker(taskQueue);
    let opened: AppealView;
    try {
      opened = await openAppealOn(taskQueue, department);
      await steps.contest(cast, opened.id);
    } finally {
      await first.stop();
    }

    const second = await runWorker(taskQueue);
    try {
      const overdue = await eventually(cast, opened.id, (a) => a.overdue);
      expect(overdue.status).to.equal('awaiting_hearing');
      await steps.assignArbiter(cast, opened.id);
      await steps.scheduleHearing(cast, opened.id);
      await steps.hold(cast, opened.id);
      await steps.dismiss(cast, opened.id);

      expect(await countOf(opened.id, 'reminder_sent')).to.equal(1);
      expect(await countOf(opened.id, 'deadline_missed')).to.equal(1);
      await expectWrittenOnce(opened.id);
      expect(await harness().client.workflow.getHandle(appealWorkflowId(opened.id)).result()).to.equal('dismissed');
    } finally {
      await second.stop();
    }
  });
});

describe('the tamper-evident timeline', () => {
  it('verifies, and names the event edited behind the API', async () => {
    const cast = await castFor(await createDepartment());
    const opened = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
    await steps.contest(cast, opened.id);
    await steps.assignArbiter(cast, opened.id);
    const before = await expectCall(200, 'GET', `/v1/appeals/${opened.id}/timeline`, cast.caseworker);
    expect(before.verified).to.equal(true);
    expect(before.items.map((e: { seq: number }) => e.seq)).to.deep.equal([1, 2, 3]);

    // The trigger refuses edits; a database administrator can still switch triggers off.
    const { dataSource } = harness();
    await dataSource.transaction(async (db) => {
      await db.query(`SET LOCAL session_replication_role = replica`);
      await db.query(`UPDATE timeline_events SET data = '{"statement": "We agree."}' WHERE appeal_id = $1 AND seq = 2`, [opened.id]);
    });

    const after = await expectCall(200, 'GET', `/v1/appeals/${opened.id}/timeline`, cast.caseworker);
    expect(after.verified).to.equal(false);
    expect(after.brokenAtSeq).to.equal(2);
  });

  it('refuses edits and deletions of events in the database', async () => {
    const cast = await castFor(await createDepartment());
    const opened = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
    const { dataSource } = harness();
    const refusal = await dataSource.query(`DELETE FROM timeline_events WHERE appeal_id = $1`, [opened.id]).then(
      () => 'deleted',
      (error: Error) => error.message,
    );
    expect(refusal).to.contain('append-only');
  });
});

describe('deadline extensions', () => {
  it('move the timer and its reminders: the escalation fires after the new instant, not the old', async () => {
    const cast: Cast = await castFor(await createDepartment({ managerResponse: seconds(3), reminders: [seconds(1)] }));
    const opened = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
    const oldDue = Date.parse(opened.deadlines.managerResponseDue);
    const newDue = new Date(oldDue + 3_000).toISOString();

    const extended = await expectCall(200, 'POST', `/v1/appeals/${opened.id}/deadlines/managerResponse/extend`, cast.caseworker, {
      until: newDue,
      reason: 'The manager is on leave.',
    });
    expect(extended.deadlines.managerResponseDue).to.equal(newDue);
    expect(extended.deadlineDetails[0].extensions).to.have.length(1);

    await eventually(cast, opened.id, (a) => a.managerDefaulted);
    const timeline = await expectCall(200, 'GET', `/v1/appeals/${opened.id}/timeline`, cast.caseworker);
    const at = (type: string) => Date.parse(timeline.items.find((e: { type: string }) => e.type === type).at);
    expect(timeline.items.map((e: { type: string }) => e.type)).to.deep.equal(['submitted', 'deadline_extended', 'reminder_sent', 'manager_defaulted']);
    expect(at('reminder_sent')).to.be.at.least(Date.parse(newDue) - 1_000);
    expect(at('manager_defaulted')).to.be.at.least(Date.parse(newDue));
    await keepHistory('deadline-extended', opened.id);
  });

  it('refuses a date earlier than the deadline (422) and a deadline that is not running (409)', async () => {
    const cast = await castFor(await createDepartment());
    const opened = await expectCall(201, 'POST', '/v1/appeals', cast.caseworker, submission(cast.department));
    const earlier = new Date(Date.parse(opened.deadlines.managerResponseDue) - 60_000).toISOString();

    await expectCall(422, 'POST', `/v1/appeals/${opened.id}/deadlines/managerResponse/extend`, cast.caseworker, { until: earlier, reason: 'Sooner.' });
    await expectCall(409, 'POST', `/v1/appeals/${opened.id}/deadlines/hearing/extend`, cast.caseworker, { until: earlier, reason: 'Not started.' });
  });
});

describe('an action held up by a slow recording', () => {
  it('answers 503 after the action timeout, still lands, and a repeat with the same Idempotency-Key answers the appeal', async () => {
    const department = await createDepartment();
    const cast = await castFor(department);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = await runWorker(newTaskQueue(), (activities) => ({
      ...activities,
      recordStep: async (step) => {
        if (step.event.type === 'manager_contested') await held;
        return activities.recordStep(step);
      },
    }));
    const { dataSource, client, config } = harness();
    const impatient = await startServer({ port: 0, dataSource, client, config: { ...config, actionTimeoutMs: 500 } });
    let opened: AppealView = await openAppealOn(worker.taskQueue, department);
    const contest = () =>
      fetch(`${impatient.url}/v1/appeals/${opened.id}/manager-response`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cast.manager}`, 'content-type': 'application/json', 'idempotency-key': 'contest-1' },
        body: JSON.stringify({ position: 'contest', statement: 'We considered it.' }),
      });
    try {
      const first = await contest();
      expect(first.status).to.equal(503);
      expect(first.headers.get('content-type')).to.match(/^application\/problem\+json/);

      release();
      opened = await eventually(cast, opened.id, (a) => a.status === 'awaiting_hearing');
      const repeat = await contest();
      expect(repeat.status).to.equal(200);
      expect(((await repeat.json()) as AppealView).status).to.equal('awaiting_hearing');
      expect(await countOf(opened.id, 'manager_contested')).to.equal(1);
    } finally {
      release();
      await impatient.close();
      await worker.stop();
    }
  });
});
