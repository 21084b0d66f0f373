import { expect } from 'chai';
import { appealWorkflowId } from '../workflows/shared';
import { harness } from './harness';
import { castFor, createDepartment, expectCall, openAppeal, seconds, steps } from './support/appeals';

describe('department policies', () => {
  it('are versioned: a new policy applies to new appeals and never moves an open appeal’s deadlines', async () => {
    const cast = await castFor(await createDepartment({ managerResponse: seconds(3600) }));
    const before = await openAppeal(cast);
    expect(before.policyVersion).to.equal(1);

    const replaced = await expectCall(200, 'PUT', `/v1/departments/${cast.department}/policy`, cast.admin, {
      managerResponse: { amount: 20, unit: 'working_days' },
      hearingWithin: { amount: 30, unit: 'working_days' },
      decisionWithin: { amount: 10, unit: 'working_days' },
      complianceWithin: { amount: 30, unit: 'working_days' },
      reminders: [{ amount: 5, unit: 'working_days' }],
      calendar: 'scotland',
      overruleMinimumEach: 3,
      overruleMinimumTotal: 18,
    });
    expect(replaced.policyVersion).to.equal(2);

    const after = await openAppeal(cast);
    expect(after.policyVersion).to.equal(2);
    expect(after.deadlineDetails[0].explanation).to.include({ policyVersion: 2, calendar: 'scotland' });
    expect(after.deadlines.managerResponseDue).to.match(/T23:59:59\.000Z$|T22:59:59\.000Z$/);

    const unchanged = await expectCall(200, 'GET', `/v1/appeals/${before.id}`, cast.caseworker);
    expect(unchanged.policyVersion).to.equal(1);
    expect(unchanged.deadlines.managerResponseDue).to.equal(before.deadlines.managerResponseDue);
  });

  it('explain every deadline: policy version, start, period and calendar', async () => {
    const cast = await castFor(await createDepartment({ managerResponse: { amount: 20, unit: 'working_days' } }));
    const appeal = await openAppeal(cast);
    const [deadline] = appeal.deadlineDetails;

    expect(deadline.kind).to.equal('managerResponse');
    expect(deadline.state).to.equal('running');
    expect(deadline.explanation).to.include({ policyVersion: 1, calendar: 'england-and-wales', endsAt: deadline.dueAt });
    expect(deadline.explanation.period).to.deep.equal({ amount: 20, unit: 'working_days' });
    expect(deadline.explanation.skippedWeekendDays.length).to.be.at.least(6);
  });
});

describe('Temporal search attributes', () => {
  it('let the Temporal UI filter appeals by status, department and overdue', async () => {
    const cast = await castFor(await createDepartment());
    const { id } = await openAppeal(cast);
    await steps.concede(cast, id);
    const { client } = harness();

    const query = `WorkflowId = '${appealWorkflowId(id)}' AND AppealStatus = 'conceded' AND AppealDepartment = '${cast.department}' AND AppealOverdue = false`;
    let found = 0;
    for (let attempt = 0; attempt < 50 && found === 0; attempt++) {
      for await (const _execution of client.workflow.list({ query })) found++;
      if (found === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(found).to.equal(1);
  });
});
