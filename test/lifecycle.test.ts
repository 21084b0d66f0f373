import { expect } from 'chai';
import { appealWorkflowId } from '../workflows/shared';
import { harness } from './harness';
import { databaseFingerprint } from './support/api';
import { keepHistory } from './support/histories';
import {
  appealAt,
  castFor,
  createDepartment,
  eventually,
  expectCall,
  openAppeal,
  seconds,
  steps,
  timelineTypes,
  WEAK_CASE,
  type Cast,
} from './support/appeals';

async function freshCast(policy = {}): Promise<Cast> {
  return castFor(await createDepartment(policy));
}

async function workflowResult(id: string): Promise<string> {
  return harness().client.workflow.getHandle(appealWorkflowId(id)).result();
}

async function timelineVerified(cast: Cast, id: string): Promise<boolean> {
  const timeline = await expectCall(200, 'GET', `/v1/appeals/${id}/timeline`, cast.caseworker);
  return timeline.verified;
}

async function notices(id: string): Promise<{ kind: string; deadline_kind: string | null; recipient_role: string }[]> {
  return harness().dataSource.query(
    `SELECT kind, deadline_kind, recipient_role FROM notifications WHERE appeal_id = $1 ORDER BY created_at, recipient_role`,
    [id],
  );
}

describe('an appeal through its lifecycle', () => {
  it('ends as conceded when the managers concede', async () => {
    const cast = await freshCast();
    const opened = await openAppeal(cast);
    expect(opened.deadlines.managerResponseDue).to.be.a('string');

    const conceded = await steps.concede(cast, opened.id);

    expect(conceded.status).to.equal('conceded');
    expect(await timelineTypes(opened.id)).to.deep.equal(['submitted', 'manager_conceded']);
    expect(await workflowResult(opened.id)).to.equal('conceded');
    await keepHistory('conceded', opened.id);
    expect(await timelineVerified(cast, opened.id)).to.equal(true);
    expect((await notices(opened.id)).map((n) => `${n.kind}:${n.recipient_role}`)).to.have.members([
      'appeal_opened:manager',
      'appeal_opened:appellant',
    ]);
  });

  it('is dismissed after a contested response and a hearing', async () => {
    const cast = await freshCast();
    const { id } = await openAppeal(cast);

    const contested = await steps.contest(cast, id);
    expect(contested.status).to.equal('awaiting_hearing');
    expect(contested.deadlines.hearingDue).to.be.a('string');
    await steps.assignArbiter(cast, id);
    expect((await steps.scheduleHearing(cast, id)).status).to.equal('hearing_scheduled');
    const held = await steps.hold(cast, id);
    expect(held.status).to.equal('awaiting_decision');
    expect(held.deadlines.decisionDue).to.be.a('string');
    const dismissed = await steps.dismiss(cast, id);

    expect(dismissed.status).to.equal('dismissed');
    expect(dismissed.decision).to.include({ outcome: 'dismiss', arbiterId: cast.arbiterId });
    expect(await timelineTypes(id)).to.deep.equal([
      'submitted',
      'manager_contested',
      'arbiter_assigned',
      'hearing_scheduled',
      'hearing_held',
      'decision_made',
      'document_added',
    ]);
    expect(await workflowResult(id)).to.equal('dismissed');
    await keepHistory('contested-held-dismissed', id);
    expect(await timelineVerified(cast, id)).to.equal(true);
  });

  it('is complied with after an adjourned hearing, a held one and an overrule', async () => {
    const cast = await freshCast();
    const { id } = await openAppeal(cast);

    await steps.contest(cast, id);
    await steps.assignArbiter(cast, id);
    await steps.scheduleHearing(cast, id);
    const adjourned = await steps.adjourn(cast, id);
    expect(adjourned.status).to.equal('hearing_scheduled');
    expect(adjourned.hearing.outcome).to.equal('adjourned');
    await steps.hold(cast, id);
    const overruled = await steps.overrule(cast, id);
    expect(overruled.status).to.equal('awaiting_compliance');
    expect(overruled.deadlines.complianceDue).to.be.a('string');
    const complied = await steps.comply(cast, id);

    expect(complied.status).to.equal('complied');
    expect(await timelineTypes(id)).to.deep.equal([
      'submitted',
      'manager_contested',
      'arbiter_assigned',
      'hearing_scheduled',
      'hearing_adjourned',
      'hearing_held',
      'decision_made',
      'document_added',
      'compliance_confirmed',
    ]);
    expect(await workflowResult(id)).to.equal('complied');
    expect(await timelineVerified(cast, id)).to.equal(true);
    await keepHistory('adjourned-held-overruled-complied', id);
  });

  it('escalates to a hearing by itself when the managers miss their deadline, after reminding them', async () => {
    const cast = await freshCast({ managerResponse: seconds(3), reminders: [seconds(2)] });
    const { id } = await openAppeal(cast);

    const escalated = await eventually(cast, id, (a) => a.status !== 'awaiting_manager_response');

    expect(escalated.status).to.equal('awaiting_hearing');
    expect(escalated.managerDefaulted).to.equal(true);
    expect(escalated.overdue).to.equal(false);
    expect(await timelineTypes(id)).to.deep.equal(['submitted', 'reminder_sent', 'manager_defaulted']);
    const sent = (await notices(id)).map((n) => `${n.kind}:${n.deadline_kind ?? '-'}:${n.recipient_role}`);
    expect(sent).to.include.members([
      'reminder:managerResponse:manager',
      'escalation:managerResponse:caseworkers',
      'escalation:managerResponse:appellant',
    ]);
    await expectCall(409, 'POST', `/v1/appeals/${id}/manager-response`, cast.manager, { position: 'contest', statement: 'Too late.' });
    await keepHistory('manager-defaulted', id);
    expect(await timelineVerified(cast, id)).to.equal(true);
  });

  it('escalates a missed hearing deadline but keeps the appeal open until the hearing is held', async () => {
    const cast = await freshCast({ hearingWithin: seconds(2) });
    const { id } = await openAppeal(cast);
    await steps.contest(cast, id);

    const overdue = await eventually(cast, id, (a) => a.overdue);

    expect(overdue.status).to.equal('awaiting_hearing');
    expect(await timelineTypes(id)).to.deep.equal(['submitted', 'manager_contested', 'deadline_missed']);
    expect((await notices(id)).filter((n) => n.kind === 'escalation').map((n) => n.deadline_kind)).to.deep.equal(['hearing', 'hearing']);
    await steps.assignArbiter(cast, id);
    await steps.scheduleHearing(cast, id);
    const held = await steps.hold(cast, id);
    expect(held.status).to.equal('awaiting_decision');
    expect(held.overdue).to.equal(false);
    await keepHistory('hearing-deadline-missed', id);
  });

  it('marks an overrule overdue when the parent body misses the compliance deadline, and stays open', async () => {
    const cast = await freshCast({ complianceWithin: seconds(2) });
    const { id } = await appealAt(cast, 'awaiting_compliance');

    const overdue = await eventually(cast, id, (a) => a.overdue);

    expect(overdue.status).to.equal('awaiting_compliance');
    expect((await timelineTypes(id)).at(-1)).to.equal('deadline_missed');
    const complied = await steps.comply(cast, id);
    expect(complied.status).to.equal('complied');
    expect(complied.overdue).to.equal(false);
    expect(await workflowResult(id)).to.equal('complied');
    await keepHistory('compliance-overdue', id);
  });

  for (const status of ['awaiting_manager_response', 'awaiting_hearing', 'hearing_scheduled', 'awaiting_decision'] as const) {
    it(`can be withdrawn while ${status}`, async () => {
      const cast = await freshCast();
      const { id } = await appealAt(cast, status);

      const withdrawn = await steps.withdraw(cast, id);

      expect(withdrawn.status).to.equal('withdrawn');
      expect((await timelineTypes(id)).at(-1)).to.equal('withdrawn');
      expect(withdrawn.deadlineDetails.every((d: { state: string }) => d.state !== 'running')).to.equal(true);
      expect(await workflowResult(id)).to.equal('withdrawn');
      await keepHistory(`withdrawn-while-${status}`, id);
    });
  }
});

describe('refused actions change nothing', () => {
  it('refuses a second decision (409)', async () => {
    const cast = await freshCast();
    const { id } = await appealAt(cast, 'awaiting_compliance');
    const before = await databaseFingerprint([id]);

    await expectCall(409, 'POST', `/v1/appeals/${id}/decision`, cast.arbiter, { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'Second thoughts.' });

    expect(await databaseFingerprint([id])).to.deep.equal(before);
  });

  it('refuses a decision before the hearing (409)', async () => {
    const cast = await freshCast();
    const { id } = await appealAt(cast, 'hearing_scheduled');
    const before = await databaseFingerprint([id]);

    await expectCall(409, 'POST', `/v1/appeals/${id}/decision`, cast.arbiter, { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'Too soon.' });

    expect(await databaseFingerprint([id])).to.deep.equal(before);
  });

  it('refuses a manager response after withdrawal (409)', async () => {
    const cast = await freshCast();
    const { id } = await openAppeal(cast);
    await steps.withdraw(cast, id);
    const before = await databaseFingerprint([id]);

    await expectCall(409, 'POST', `/v1/appeals/${id}/manager-response`, cast.manager, { position: 'concede', statement: 'Fine.' });

    expect(await databaseFingerprint([id])).to.deep.equal(before);
  });

  it('refuses an overrule on an insufficient business case (422), naming the failing criteria', async () => {
    const cast = await freshCast();
    const { id } = await appealAt(cast, 'awaiting_decision');
    const before = await databaseFingerprint([id]);

    const problem = await expectCall(422, 'POST', `/v1/appeals/${id}/decision`, cast.arbiter, {
      outcome: 'overrule',
      assessment: WEAK_CASE,
      reasons: 'Overrule anyway.',
    });

    expect(problem.detail).to.contain('financialViability');
    expect(await databaseFingerprint([id])).to.deep.equal(before);
  });

  it("refuses an arbiter from the appeal's own department (422)", async () => {
    const cast = await freshCast();
    const { id } = await appealAt(cast, 'awaiting_hearing');
    await expectCall(201, 'POST', '/v1/arbiters', cast.admin, {
      id: `conflicted-${id}`,
      name: 'Conflicted Arbiter',
      email: 'conflicted@example.org',
      department: cast.department,
    });
    const before = await databaseFingerprint([id]);

    const problem = await expectCall(422, 'POST', `/v1/appeals/${id}/arbiter`, cast.caseworker, { arbiterId: `conflicted-${id}` });

    expect(problem.detail).to.contain('conflict of interest');
    expect(await databaseFingerprint([id])).to.deep.equal(before);
  });

  it('refuses any change to a recorded decision in the database itself', async () => {
    const cast = await freshCast();
    const { id } = await appealAt(cast, 'awaiting_compliance');
    const { dataSource } = harness();

    let refusal: unknown;
    await dataSource.query(`UPDATE decisions SET outcome = 'dismiss' WHERE appeal_id = $1`, [id]).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.contain('binding and final');
    await dataSource.query(`DELETE FROM decisions WHERE appeal_id = $1`, [id]).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.contain('binding and final');
    const [decision] = await dataSource.query(`SELECT outcome FROM decisions WHERE appeal_id = $1`, [id]);
    expect(decision.outcome).to.equal('overrule');
  });
});
