import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createRecordingActivities } from '../activities/recording';
import type { AppealStep } from '../activities/types';
import type { AppealSubmission } from '../domain/appeal';
import { harness } from './harness';
import { submission } from './support/appeals';

const caseworker = { sub: 'caseworker-1', role: 'caseworker' as const };
const system = { sub: 'system', role: 'system' as const };

function recording() {
  return createRecordingActivities({ dataSource: harness().dataSource, caseworkerTeam: 'caseworkers@example.org' });
}

async function opened(): Promise<string> {
  const appealId = randomUUID();
  await recording().openAppeal({ appealId, submission: submission('HO') as unknown as AppealSubmission, submittedBy: caseworker });
  return appealId;
}

/**
 * Steps scheduled by a workflow before steps said which deadlines they close and start: one still
 * being retried when the worker is upgraded is recorded as it was then.
 */
describe('recording a step from an earlier workflow', () => {
  it('closes and starts the deadlines its status calls for, and answers the started one again on a retry', async () => {
    const appealId = await opened();
    const legacy: AppealStep = { appealId, key: 'legacy:contest', event: { type: 'manager_contested', actor: caseworker, data: {} }, status: 'awaiting_hearing' };
    const first = await recording().recordStep(legacy);
    expect(first.appeal.status).to.equal('awaiting_hearing');
    expect(first.appeal.deadlineDetails.map((d) => [d.kind, d.state])).to.deep.equal([
      ['managerResponse', 'met'],
      ['hearing', 'running'],
    ]);
    expect(first.deadline?.kind).to.equal('hearing');
    const again = await recording().recordStep(legacy);
    expect(again.deadline).to.deep.equal(first.deadline);
    expect(again.appeal.updatedAt).to.equal(first.appeal.updatedAt);
  });

  it('marks a missed deadline missed when the managers default', async () => {
    const appealId = await opened();
    const result = await recording().recordStep({
      appealId,
      key: 'missed:managerResponse',
      event: { type: 'manager_defaulted', actor: system, data: {} },
      status: 'awaiting_hearing',
      changes: { managerDefaulted: true },
      missedDeadline: 'managerResponse',
      notice: { kind: 'escalation', deadlineKind: 'managerResponse' },
    });
    expect(result.appeal.deadlineDetails.map((d) => [d.kind, d.state])).to.deep.equal([
      ['managerResponse', 'missed'],
      ['hearing', 'running'],
    ]);
    expect(result.appeal.managerDefaulted).to.equal(true);
    expect(result.notices).to.have.length(2);
  });
});
