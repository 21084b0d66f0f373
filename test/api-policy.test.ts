/**
 * What the pages needed of the API: the policy an appeal was opened under (its thresholds beside
 * the decision form), and a policy previewed before it is saved (what it would make of an appeal
 * submitted now), both over real HTTP.
 */
import { expect } from 'chai';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { harness } from './harness';
import { appealAt, createDepartment, openAppeal, steps } from './support/appeals';
import { expectProblem, peopleFor, type People } from './support/api';

describe('API: the policy of an appeal', () => {
  let people: People;
  before(async () => {
    people = await peopleFor(await createDepartment({ ...DEFAULT_POLICY, overruleMinimumEach: 3 }));
  });

  it('GET 200: the policy the appeal was opened under, which a later policy does not change', async () => {
    const appeal = await appealAt(people, 'awaiting_decision');
    const stricter = { ...DEFAULT_POLICY, overruleMinimumEach: 4, overruleMinimumTotal: 20 };
    expect((await harness().api('PUT', `/v1/departments/${people.department}/policy`, { token: people.admin, body: stricter })).status).to.equal(200);
    for (const token of [people.caseworker, people.admin, people.manager, people.arbiter]) {
      const response = await harness().api('GET', `/v1/appeals/${appeal.id}/policy`, { token });
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      expect(response.body).to.deep.equal({ department: people.department, policyVersion: 1, policy: { ...DEFAULT_POLICY, overruleMinimumEach: 3 } });
    }
    const later = await openAppeal(people);
    const { body } = await harness().api('GET', `/v1/appeals/${later.id}/policy`, { token: people.caseworker });
    expect(body).to.deep.include({ policyVersion: 2, policy: stricter });
    await harness().api('PUT', `/v1/departments/${people.department}/policy`, { token: people.admin, body: { ...DEFAULT_POLICY, overruleMinimumEach: 3 } });
  });

  it('GET 404 for an appeal out of the caller\'s scope, exactly as for a missing one; 400 for a query; 401', async () => {
    const appeal = await openAppeal(people);
    await steps.contest(people, appeal.id);
    for (const token of [people.otherManager, people.otherArbiter]) {
      expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/policy`, { token }), 404);
    }
    expectProblem(await harness().api('GET', '/v1/appeals/00000000-0000-4000-8000-000000000000/policy', { token: people.caseworker }), 404);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/policy?version=1`, { token: people.caseworker }), 400);
    expectProblem(await harness().api('GET', `/v1/appeals/${appeal.id}/policy`), 401);
  });
});

describe('API: POST /v1/departments/{code}/policy/preview', () => {
  let people: People;
  before(async () => {
    people = await peopleFor(await createDepartment(DEFAULT_POLICY));
  });

  it('200: the deadlines the engine then gives an appeal submitted under that policy; nothing is saved', async () => {
    const policy: Policy = { ...DEFAULT_POLICY, managerResponse: { amount: 15, unit: 'working_days' }, calendar: 'scotland', reminders: [{ amount: 2, unit: 'working_days' }] };
    const previewed = await harness().api('POST', `/v1/departments/${people.department}/policy/preview`, { token: people.admin, body: policy });
    expect(previewed.status, JSON.stringify(previewed.body)).to.equal(200);
    const preview = previewed.body;
    expect(preview).to.include({ department: people.department, policyVersion: 2 });
    expect(preview.deadlines.map((d: { kind: string }) => d.kind)).to.deep.equal(['managerResponse', 'hearing', 'decision', 'compliance']);
    const listed = await harness().api('GET', '/v1/departments', { token: people.admin });
    expect(listed.body.items.find((d: { code: string }) => d.code === people.department)).to.deep.include({ policyVersion: 1, policy: DEFAULT_POLICY });

    expect((await harness().api('PUT', `/v1/departments/${people.department}/policy`, { token: people.admin, body: policy })).status).to.equal(200);
    const appeal = await openAppeal(people);
    const [managerResponse] = preview.deadlines;
    const recorded = appeal.deadlineDetails.find((d) => d.kind === 'managerResponse');
    expect(appeal.deadlines.managerResponseDue).to.equal(managerResponse.dueAt);
    expect(recorded?.reminderAts).to.deep.equal(managerResponse.reminderAts);
    const { start: _previewed, ...why } = managerResponse.explanation;
    const { start: _recorded, ...recordedWhy } = recorded?.explanation ?? {};
    expect(recordedWhy).to.deep.equal(why);
    expect(why).to.deep.include({ policyVersion: 2, calendar: 'scotland', period: { amount: 15, unit: 'working_days' } });
  });

  it('400 for an invalid policy or a query, 401, 403 for all but administrators, 404 for an unknown department', async () => {
    const path = `/v1/departments/${people.department}/policy/preview`;
    const invalid = await harness().api('POST', path, { token: people.admin, body: { ...DEFAULT_POLICY, managerResponse: { amount: 0, unit: 'working_days' } } });
    expectProblem(invalid, 400);
    expect(invalid.body.errors[0].path).to.equal('body.managerResponse.amount');
    expectProblem(await harness().api('POST', `${path}?dry=1`, { token: people.admin, body: DEFAULT_POLICY }), 400);
    expectProblem(await harness().api('POST', path, { body: DEFAULT_POLICY }), 401);
    for (const token of [people.caseworker, people.manager, people.arbiter]) expectProblem(await harness().api('POST', path, { token, body: DEFAULT_POLICY }), 403);
    expectProblem(await harness().api('POST', '/v1/departments/NOWHERE/policy/preview', { token: people.admin, body: DEFAULT_POLICY }), 404);
  });
});
