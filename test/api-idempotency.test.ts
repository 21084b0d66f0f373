/**
 * Retries are safe: POST /v1/appeals honours Idempotency-Key (kept in PostgreSQL), and the action
 * calls, sent with a key, take effect once (Workflow Update ids) and answer the same on a repeat.
 * A key names one request: reused with another body, for another action or on another appeal, 422.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { appealWorkflowId } from '../workflows/shared';
import { harness } from './harness';
import { appealAt, openAppeal, steps, STRONG_CASE, submission, WEAK_CASE } from './support/appeals';
import { databaseFingerprint, expectProblem, peopleFor, type People } from './support/api';

async function appealsOf(department: string): Promise<number> {
  const [{ n }] = await harness().dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM appeals WHERE department_code = $1`, [department]);
  return n;
}

describe('API: idempotency', () => {
  let people: People;
  before(async () => {
    people = await peopleFor();
  });

  const open = (key: string, body: unknown, token = people.caseworker) =>
    harness().api('POST', '/v1/appeals', { token, body, headers: { 'idempotency-key': key } });

  it('a repeated Idempotency-Key with the same body answers the first response again, and opens one appeal', async () => {
    const key = randomUUID();
    const first = await open(key, submission(people.department));
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    // The appeal moves on; the repeat still answers what the first call answered.
    await harness().api('POST', `/v1/appeals/${first.body.id}/manager-response`, {
      token: people.manager,
      body: { position: 'contest', statement: 'We considered it.' },
    });
    const again = await open(key, submission(people.department));
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(await appealsOf(people.department)).to.equal(1);
  });

  it('the same key with a different body is refused with 422, and nothing is written', async () => {
    const key = randomUUID();
    expect((await open(key, submission(people.department))).status).to.equal(201);
    const before = await appealsOf(people.department);
    const changed = { ...submission(people.department), businessCaseSummary: 'Another business case.' };
    const response = await open(key, changed);
    expectProblem(response, 422);
    expect(response.body.detail).to.match(/Idempotency-Key/);
    expect(await appealsOf(people.department)).to.equal(before);
  });

  it('concurrent repeats of one key open exactly one appeal and all answer it', async () => {
    const department = (await peopleFor()).department;
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => open(key, submission(department))));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).to.equal(1);
    expect(await appealsOf(department)).to.equal(1);
  });

  it('a repeat whose first answer was lost answers the appeal, and never reopens it once its workflow has ended', async () => {
    const key = randomUUID();
    const first = await open(key, submission(people.department));
    await steps.withdraw(people, first.body.id);
    const workflow = harness().client.workflow.getHandle(appealWorkflowId(first.body.id));
    await workflow.result();
    const { runId } = await workflow.describe();
    // As if the API had died after starting the workflow but before keeping its answer.
    await harness().dataSource.query(`UPDATE idempotency_keys SET response_status = NULL, response_body = NULL WHERE resource_id = $1`, [first.body.id]);
    const again = await open(key, submission(people.department));
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body).to.include({ id: first.body.id, status: 'withdrawn' });
    expect((await workflow.describe()).runId, 'no second run of the workflow').to.equal(runId);
    const timeline = await harness().api('GET', `/v1/appeals/${first.body.id}/timeline`, { token: people.caseworker });
    expect(timeline.body.items.map((e: { type: string }) => e.type)).to.deep.equal(['submitted', 'withdrawn']);
  });

  it("keys are the caller's own: another caseworker's identical key opens another appeal", async () => {
    const key = randomUUID();
    const mine = await open(key, submission(people.department));
    const theirs = await open(key, submission(people.department), await harness().tokenFor('caseworker', 'caseworker-2'));
    expect(mine.status).to.equal(201);
    expect(theirs.status).to.equal(201);
    expect(theirs.body.id).to.not.equal(mine.body.id);
  });

  it('400 for a key that is not printable ASCII of at most 200 characters', async () => {
    const response = await open('k'.repeat(201), submission(people.department));
    expectProblem(response, 400);
    expect(response.body.errors[0].path).to.equal('header.Idempotency-Key');
  });

  it('an action repeated with the same key takes effect once, and the repeat answers 200 with the appeal', async () => {
    const appeal = await openAppeal(people);
    const key = randomUUID();
    const contest = () =>
      harness().api('POST', `/v1/appeals/${appeal.id}/manager-response`, {
        token: people.manager,
        body: { position: 'contest', statement: 'We considered it.' },
        headers: { 'idempotency-key': key },
      });
    const first = await contest();
    expect(first.status).to.equal(200);
    const written = await databaseFingerprint([appeal.id]);
    const again = await contest();
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body.status).to.equal('awaiting_hearing');
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(written);
  });

  it('concurrent repeats of an action with one key record it once', async () => {
    const appeal = await appealAt(people, 'awaiting_hearing');
    await steps.assignArbiter(people, appeal.id);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        harness().api('POST', `/v1/appeals/${appeal.id}/hearing`, {
          token: people.caseworker,
          body: { scheduledFor: '2031-05-06T10:00:00Z', location: 'Room 9' },
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).to.deep.equal(Array(5).fill(200));
    const types = await harness().dataSource.query<{ type: string }[]>(
      `SELECT type FROM timeline_events WHERE appeal_id = $1 AND type = 'hearing_scheduled'`,
      [appeal.id],
    );
    expect(types).to.have.length(1);
  });

  const act = (path: string, token: string, key: string, body: unknown) =>
    harness().api('POST', path, { token, body, headers: { 'idempotency-key': key } });

  it('ten decisions at once under one key, five overrule and five dismiss: the first body is taken, its repeats answer it, the others 422', async () => {
    const appeal = await appealAt(people, 'awaiting_decision');
    const key = randomUUID();
    const overrule = { outcome: 'overrule', assessment: STRONG_CASE, reasons: 'A sound business case.' };
    const dismiss = { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'The finances do not hold up.' };
    const bodies = Array.from({ length: 10 }, (_, i) => (i % 2 ? overrule : dismiss));

    const answers = await Promise.all(bodies.map((body) => act(`/v1/appeals/${appeal.id}/decision`, people.arbiter, key, body)));

    const [{ outcome }] = await harness().dataSource.query<{ outcome: string }[]>(`SELECT outcome FROM decisions WHERE appeal_id = $1`, [appeal.id]);
    const taken = answers.filter((_, i) => bodies[i].outcome === outcome);
    const refused = answers.filter((_, i) => bodies[i].outcome !== outcome);
    expect(taken.map((a) => a.status), JSON.stringify(taken.map((a) => a.body))).to.deep.equal(Array(5).fill(200));
    for (const answer of taken) expect(answer.body).to.deep.equal(taken[0].body);
    expect(taken[0].body.decision.outcome).to.equal(outcome);
    for (const answer of refused) {
      expectProblem(answer, 422);
      expect(answer.body.detail).to.match(/Idempotency-Key/);
    }
    expect((await databaseFingerprint([appeal.id])).decisions).to.equal(1);
  });

  it('a key used for one action and then for another is refused with 422, and the second action never happens', async () => {
    const appeal = await appealAt(people, 'awaiting_hearing');
    const key = randomUUID();
    const assigned = await act(`/v1/appeals/${appeal.id}/arbiter`, people.caseworker, key, { arbiterId: people.arbiterId });
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    const written = await databaseFingerprint([appeal.id]);

    const withdrawal = await act(`/v1/appeals/${appeal.id}/withdraw`, people.caseworker, key, { reason: 'Staff changed their minds.' });

    expectProblem(withdrawal, 422);
    expect(withdrawal.body.detail).to.match(/Idempotency-Key/);
    const now = await harness().api('GET', `/v1/appeals/${appeal.id}`, { token: people.caseworker });
    expect(now.body.status).to.equal('awaiting_hearing');
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(written);
  });

  it('a key used on one appeal is refused with 422 on another, which is left unchanged', async () => {
    const [first, second] = [await openAppeal(people), await openAppeal(people)];
    const key = randomUUID();
    const contest = { position: 'contest', statement: 'We considered it.' };
    expect((await act(`/v1/appeals/${first.id}/manager-response`, people.manager, key, contest)).status).to.equal(200);
    const written = await databaseFingerprint([second.id]);

    const elsewhere = await act(`/v1/appeals/${second.id}/manager-response`, people.manager, key, contest);

    expectProblem(elsewhere, 422);
    expect(await databaseFingerprint([second.id])).to.deep.equal(written);
  });

  it('an action repeated with the same key and body after it succeeded answers the first answer again, marked Idempotent-Replayed', async () => {
    const appeal = await appealAt(people, 'awaiting_hearing');
    const key = randomUUID();
    const assign = () => act(`/v1/appeals/${appeal.id}/arbiter`, people.caseworker, key, { arbiterId: people.arbiterId });
    const first = await assign();
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    await steps.scheduleHearing(people, appeal.id);
    const written = await databaseFingerprint([appeal.id]);

    const again = await assign();

    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    expect(await databaseFingerprint([appeal.id])).to.deep.equal(written);
  });
});
