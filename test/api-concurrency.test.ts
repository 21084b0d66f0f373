/**
 * Actions that race each other on one appeal: each is checked against the appeal as the ones
 * before it left it, so a rule holds however the calls interleave, and the case record, the
 * timeline and the workflow agree afterwards.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { nextStatus, type AppealStatus, type Step } from '../domain/lifecycle';
import { appealStateQuery, appealWorkflowId } from '../workflows/shared';
import type { AppealView } from '../domain/appeal';
import { harness } from './harness';
import { keepHistory } from './support/histories';
import { appealAt, castFor, createDepartment, openAppeal, STRONG_CASE, WEAK_CASE, type Cast } from './support/appeals';

const HOUR = 3_600_000;

/** The step each timeline event records, for the events that move an appeal. */
function stepOf(event: { type: string; data: { outcome?: string } }): Step | undefined {
  const steps: Record<string, Step> = {
    manager_conceded: 'concede',
    manager_contested: 'contest',
    manager_defaulted: 'managerDefault',
    arbiter_assigned: 'assignArbiter',
    hearing_scheduled: 'scheduleHearing',
    hearing_held: 'holdHearing',
    hearing_adjourned: 'adjournHearing',
    compliance_confirmed: 'confirmCompliance',
    withdrawn: 'withdraw',
  };
  if (event.type === 'decision_made') return event.data.outcome as Step;
  return steps[event.type];
}

/** The status the workflow holds: the case record must say the same. */
async function workflowStatus(id: string): Promise<AppealStatus> {
  const handle = harness().client.workflow.getHandle(appealWorkflowId(id));
  return (await handle.query(appealStateQuery)).status;
}

/**
 * The timeline, replayed step by step through the lifecycle, is a path the lifecycle allows and
 * ends where the case record and the workflow are.
 */
async function expectConsistent(cast: Cast, id: string): Promise<{ types: string[] }> {
  const { api } = harness();
  const [appeal, timeline] = await Promise.all([
    api('GET', `/v1/appeals/${id}`, { token: cast.caseworker }),
    api('GET', `/v1/appeals/${id}/timeline`, { token: cast.caseworker }),
  ]);
  expect(timeline.body.verified).to.equal(true);
  let status: AppealStatus = 'awaiting_manager_response';
  for (const event of timeline.body.items) {
    const step = stepOf(event);
    if (!step) continue;
    const next = nextStatus(status, step);
    expect(next, `timeline takes ${step} while ${status}: ${JSON.stringify(timeline.body.items.map((e: { type: string }) => e.type))}`).to.be.a('string');
    status = next as AppealStatus;
  }
  expect(appeal.body.status, 'the case record ends where the timeline does').to.equal(status);
  expect(await workflowStatus(id), 'the workflow ends where the timeline does').to.equal(status);
  return { types: timeline.body.items.map((e: { type: string }) => e.type) };
}

const post = (path: string, token: string, body: unknown) =>
  harness().api('POST', path, { token, body, headers: { 'idempotency-key': randomUUID() } });

describe('API: actions racing each other on one appeal', () => {
  let cast: Cast;
  before(async () => {
    cast = await castFor(await createDepartment());
  });

  it('two extensions sent at once never move a deadline earlier: the earlier one is refused (422) unless it came first', async () => {
    let refused: string | undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      const opened: AppealView = await openAppeal(cast);
      const inHours = (hours: number) => new Date(Date.parse(opened.createdAt) + hours * HOUR).toISOString();
      const extend = (until: string) =>
        post(`/v1/appeals/${opened.id}/deadlines/managerResponse/extend`, cast.caseworker, { until, reason: `To ${until}.` });

      const [later, earlier] = await Promise.all([extend(inHours(5)), extend(inHours(3))]);

      expect(later.status, JSON.stringify(later.body)).to.equal(200);
      expect(earlier.status, JSON.stringify(earlier.body)).to.be.oneOf([200, 422]);
      const appeal = (await harness().api('GET', `/v1/appeals/${opened.id}`, { token: cast.caseworker })).body as AppealView;
      expect(appeal.deadlines.managerResponseDue, `attempt ${attempt}`).to.equal(inHours(5));
      const state = await harness().client.workflow.getHandle(appealWorkflowId(opened.id)).query(appealStateQuery);
      expect(state.deadlines.managerResponse?.dueAt, 'the timer waits for the later date').to.equal(inHours(5));
      const { extensions } = appeal.deadlineDetails.find((d) => d.kind === 'managerResponse')!;
      for (const extension of extensions) expect(Date.parse(extension.until), JSON.stringify(extensions)).to.be.above(Date.parse(extension.from));
      expect(extensions.map((e) => e.until)).to.deep.equal(earlier.status === 200 ? [inHours(3), inHours(5)] : [inHours(5)]);
      if (earlier.status !== 422) continue;
      expect(earlier.body.detail).to.match(/only be moved later/);
      refused = opened.id;
    }
    if (refused) await keepHistory('deadline-extensions-raced', refused);
  });

  it('ten decisions sent at once with different keys: exactly one is taken (200), the others are refused (409)', async () => {
    const appeal = await appealAt(cast, 'awaiting_decision');
    const decide = (i: number) =>
      post(`/v1/appeals/${appeal.id}/decision`, cast.arbiter, {
        outcome: i % 2 ? 'overrule' : 'dismiss',
        assessment: i % 2 ? STRONG_CASE : WEAK_CASE,
        reasons: `Decision ${i}.`,
      });

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => decide(i)));

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).to.have.length(1);
    expect(statuses.filter((s) => s === 409), JSON.stringify(statuses)).to.have.length(9);
    const taken = answers.find((a) => a.status === 200)!.body as AppealView;
    const [{ decisions, events }] = await harness().dataSource.query(
      `SELECT (SELECT count(*)::int FROM decisions WHERE appeal_id = $1) AS decisions,
              (SELECT count(*)::int FROM timeline_events WHERE appeal_id = $1 AND type = 'decision_made') AS events`,
      [appeal.id],
    );
    expect({ decisions, events }).to.deep.equal({ decisions: 1, events: 1 });
    await expectConsistent(cast, appeal.id);
    expect(await workflowStatus(appeal.id)).to.equal(taken.status);
  });

  const RACES: { name: string; at: AppealStatus; first: (id: string) => [string, string, unknown]; oneWins: boolean }[] = [
    {
      name: 'a concession and a withdrawal',
      at: 'awaiting_manager_response',
      first: (id) => [`/v1/appeals/${id}/manager-response`, 'manager', { position: 'concede', statement: 'We agree.' }],
      oneWins: true,
    },
    {
      name: 'a decision and a withdrawal',
      at: 'awaiting_decision',
      first: (id) => [`/v1/appeals/${id}/decision`, 'arbiter', { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'Weak.' }],
      oneWins: true,
    },
    {
      name: 'a contest and a withdrawal',
      at: 'awaiting_manager_response',
      first: (id) => [`/v1/appeals/${id}/manager-response`, 'manager', { position: 'contest', statement: 'We disagree.' }],
      oneWins: false,
    },
    {
      name: 'an arbiter assignment and a withdrawal',
      at: 'awaiting_hearing',
      first: (id) => [`/v1/appeals/${id}/arbiter`, 'caseworker', { arbiterId: cast.arbiterId }],
      oneWins: false,
    },
  ];
  for (const race of RACES) {
    it(`${race.name} sent at once: ${race.oneWins ? 'exactly one wins' : 'both may be taken, one after the other'}, and the record agrees with the workflow`, async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const appeal = await appealAt(cast, race.at);
        const [path, role, body] = race.first(appeal.id);
        const [action, withdrawal] = await Promise.all([
          post(path, cast[role as 'manager' | 'arbiter' | 'caseworker'], body),
          post(`/v1/appeals/${appeal.id}/withdraw`, cast.caseworker, { reason: 'Staff changed their minds.' }),
        ]);
        const statuses = [action.status, withdrawal.status];
        if (race.oneWins) expect(statuses.sort(), JSON.stringify([action.body, withdrawal.body])).to.deep.equal([200, 409]);
        else expect(withdrawal.status, JSON.stringify(withdrawal.body)).to.equal(200);
        const { types } = await expectConsistent(cast, appeal.id);
        expect(types.includes('withdrawn')).to.equal(withdrawal.status === 200);
      }
    });
  }
});
