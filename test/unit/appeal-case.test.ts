import { expect } from 'chai';
import type { ApplicationFailure } from '@temporalio/common';
import type { AppealView, Actor } from '../../domain/appeal';
import { DEFAULT_POLICY, type DeadlineKind } from '../../domain/policy';
import { AppealCase } from '../../workflows/appeal-case';
import { REFUSALS, type ActionRequests, type PersonAction } from '../../workflows/shared';

const caseworker: Actor = { sub: 'cw-1', role: 'caseworker' };
const manager: Actor = { sub: 'mgr-1', role: 'manager' };
const arbiter: Actor = { sub: 'arb-1', role: 'arbiter' };
const otherArbiter: Actor = { sub: 'arb-2', role: 'arbiter' };
const STRONG = { financialViability: 4, serviceQuality: 4, staffSupport: 4, valueForMoney: 3, continuityOfService: 3 };
const WEAK = { ...STRONG, staffSupport: 1 };
const future = () => new Date(Date.now() + 86_400_000).toISOString();
const schedule = (kind: DeadlineKind) => ({ kind, dueAt: future(), reminderAts: [] });

function opened(): AppealCase {
  const submission = { department: 'HO' } as AppealView;
  const appeal = new AppealCase({ appealId: 'a-1', submission, submittedBy: caseworker });
  const view = { ...submission, status: 'awaiting_manager_response', hearing: null } as AppealView;
  appeal.opened({ appeal: view, policy: DEFAULT_POLICY, deadline: schedule('managerResponse'), notices: [] });
  return appeal;
}

/** Take an action and take in its recording, with the deadline it started. */
function taken<A extends PersonAction>(appeal: AppealCase, action: A, request: ActionRequests[A]): AppealCase {
  const step = appeal.take(action, request);
  const hearing = step.changes?.hearing ?? appeal.view?.hearing ?? null;
  appeal.recorded({ appeal: { ...appeal.view, status: appeal.status, hearing } as AppealView, deadline: step.starts ? schedule(step.starts) : null, notices: [] });
  return appeal;
}

const contested = () => taken(opened(), 'respondAsManager', { actor: manager, position: 'contest', statement: 'No.' });
const assigned = () => taken(contested(), 'assignArbiter', { actor: caseworker, arbiter: { id: arbiter.sub, name: 'Ari', email: 'a@x', department: null } });
const scheduled = () => taken(assigned(), 'scheduleHearing', { actor: caseworker, scheduledFor: future(), location: 'Room 1' });
const heard = () => taken(scheduled(), 'recordHearingOutcome', { actor: arbiter, outcome: 'held' });

function refusal(act: () => unknown): ApplicationFailure {
  try {
    act();
  } catch (error) {
    return error as ApplicationFailure;
  }
  throw new Error('the action was not refused');
}

describe('the appeal decides each step', () => {
  it('refuses every action while the appeal is still being opened', () => {
    const appeal = new AppealCase({ appealId: 'a-1', submission: { department: 'HO' } as AppealView, submittedBy: caseworker });
    const refused = refusal(() => appeal.check('withdraw', { actor: caseworker, reason: 'r' }));
    expect(refused.type).to.equal(REFUSALS.conflict);
    expect(refused.message).to.equal('The appeal is still being opened');
  });

  it('when the managers contest, the appeal awaits a hearing: their deadline is met and the hearing deadline starts', () => {
    const step = opened().take('respondAsManager', { actor: manager, position: 'contest', statement: 'No.' });
    expect(step).to.deep.equal({
      status: 'awaiting_hearing',
      closes: { managerResponse: 'met' },
      starts: 'hearing',
      event: { type: 'manager_contested', actor: manager, data: { statement: 'No.' } },
    });
  });

  it('when the managers concede, the appeal ends conceded and no deadline starts', () => {
    const step = opened().take('respondAsManager', { actor: manager, position: 'concede', statement: 'Yes.' });
    expect(step.status).to.equal('conceded');
    expect(step.closes).to.deep.equal({ managerResponse: 'met' });
    expect(step.starts).to.equal(undefined);
  });

  it('checking an action changes nothing; taking it does', () => {
    const appeal = opened();
    appeal.check('withdraw', { actor: caseworker, reason: 'r' });
    expect(appeal.status).to.equal('awaiting_manager_response');
    appeal.take('withdraw', { actor: caseworker, reason: 'r' });
    expect(appeal.status).to.equal('withdrawn');
    expect(appeal.state().deadlines.managerResponse?.state).to.equal('cancelled');
  });

  it('refuses an action that does not fit the status with a conflict (409), by the same words each time', () => {
    const refused = refusal(() => opened().check('decide', { actor: arbiter, outcome: 'dismiss', assessment: STRONG, reasons: 'r' }));
    expect(refused.type).to.equal(REFUSALS.conflict);
    expect(refused.message).to.equal('Cannot dismiss an appeal that is awaiting_manager_response');
  });

  it('refuses an arbiter from the appeal\'s own department (422)', () => {
    const refused = refusal(() => contested().check('assignArbiter', { actor: caseworker, arbiter: { id: 'arb-3', name: 'B', email: 'b@x', department: 'HO' } }));
    expect(refused.type).to.equal(REFUSALS.businessRule);
    expect(refused.message).to.match(/conflict of interest/);
  });

  it('schedules a hearing only once an arbiter is assigned, and only in the future', () => {
    expect(refusal(() => contested().check('scheduleHearing', { actor: caseworker, scheduledFor: future(), location: 'R' })).type).to.equal(REFUSALS.conflict);
    const past = new Date(Date.now() - 1000).toISOString();
    expect(refusal(() => assigned().check('scheduleHearing', { actor: caseworker, scheduledFor: past, location: 'R' })).type).to.equal(REFUSALS.businessRule);
    expect(refusal(() => assigned().check('scheduleHearing', { actor: otherArbiter, scheduledFor: future(), location: 'R' })).type).to.equal(REFUSALS.forbidden);
  });

  it('a held hearing starts the decision deadline; an adjourned one keeps the hearing scheduled at its new date', () => {
    expect(scheduled().take('recordHearingOutcome', { actor: arbiter, outcome: 'held' })).to.include({ status: 'awaiting_decision', starts: 'decision' });
    const rescheduledFor = future();
    const adjourned = scheduled().take('recordHearingOutcome', { actor: arbiter, outcome: 'adjourned', rescheduledFor });
    expect(adjourned).to.deep.include({ status: 'hearing_scheduled', closes: {} });
    expect(adjourned.event.type).to.equal('hearing_adjourned');
    expect(adjourned.changes?.hearing).to.deep.equal({ scheduledFor: rescheduledFor, location: 'Room 1', outcome: 'adjourned', notes: null });
    expect(refusal(() => scheduled().check('recordHearingOutcome', { actor: arbiter, outcome: 'adjourned' })).message).to.equal('An adjourned hearing needs rescheduledFor');
  });

  it('an overrule records the decision, starts the compliance deadline and sends the decision notice about it', () => {
    const step = heard().take('decide', { actor: arbiter, outcome: 'overrule', assessment: STRONG, reasons: 'Strong case.' });
    expect(step).to.deep.include({
      status: 'awaiting_compliance',
      closes: { decision: 'met' },
      starts: 'compliance',
      decision: { outcome: 'overrule', assessment: STRONG, reasons: 'Strong case.', arbiterId: arbiter.sub },
      notice: { kind: 'decision', deadlineKind: 'compliance' },
    });
  });

  it('refuses an overrule on a weak business case (422), naming the failing criteria', () => {
    const refused = refusal(() => heard().check('decide', { actor: arbiter, outcome: 'overrule', assessment: WEAK, reasons: 'r' }));
    expect(refused.type).to.equal(REFUSALS.businessRule);
    expect(refused.message).to.match(/staffSupport/);
  });

  it('only the assigned arbiter decides (403), and only once (409)', () => {
    expect(refusal(() => heard().check('decide', { actor: otherArbiter, outcome: 'dismiss', assessment: STRONG, reasons: 'r' })).type).to.equal(REFUSALS.forbidden);
    const decided = taken(heard(), 'decide', { actor: arbiter, outcome: 'dismiss', assessment: STRONG, reasons: 'r' });
    expect(decided.status).to.equal('dismissed');
    expect(refusal(() => decided.check('decide', { actor: arbiter, outcome: 'overrule', assessment: STRONG, reasons: 'r' })).type).to.equal(REFUSALS.conflict);
  });

  it('extends a running deadline only later; a deadline that does not run cannot be extended', () => {
    const appeal = opened();
    const dueAt = appeal.deadlines.managerResponse?.dueAt ?? 0;
    const earlier = new Date(dueAt - 1000).toISOString();
    expect(refusal(() => appeal.check('extendDeadline', { actor: caseworker, kind: 'managerResponse', until: earlier, reason: 'r' })).type).to.equal(REFUSALS.businessRule);
    expect(refusal(() => appeal.check('extendDeadline', { actor: caseworker, kind: 'hearing', until: future(), reason: 'r' })).type).to.equal(REFUSALS.conflict);
    const until = new Date(dueAt + 1000).toISOString();
    expect(appeal.take('extendDeadline', { actor: caseworker, kind: 'managerResponse', until, reason: 'r' }).extendDeadline).to.deep.equal({
      kind: 'managerResponse',
      until,
      reason: 'r',
      by: caseworker.sub,
    });
  });

  it('when the managers miss their deadline, they default: the appeal goes to a hearing without them', () => {
    const appeal = opened();
    const step = appeal.deadlinePassed('managerResponse');
    expect(step).to.deep.include({
      key: 'missed:managerResponse',
      status: 'awaiting_hearing',
      closes: { managerResponse: 'missed' },
      starts: 'hearing',
      changes: { managerDefaulted: true },
    });
    expect(step.event.type).to.equal('manager_defaulted');
    expect(step.notice?.kind).to.equal('escalation');
  });

  it('a missed hearing deadline is escalated and the appeal stays where it is', () => {
    const appeal = assigned();
    const step = appeal.deadlinePassed('hearing');
    expect(step).to.deep.include({ key: 'missed:hearing', closes: { hearing: 'missed' } });
    expect(step.status).to.equal(undefined);
    expect(appeal.status).to.equal('awaiting_hearing');
    expect(appeal.deadlineRunning('hearing')).to.equal(false);
  });

  it('a reminder is keyed by its instant and marks itself sent', () => {
    const appeal = opened();
    const reminder = { at: Date.parse('2030-01-01T09:00:00Z'), sent: false };
    const step = appeal.remind('managerResponse', reminder);
    expect(step.key).to.equal('reminder:managerResponse:2030-01-01T09:00:00.000Z');
    expect(step.notice).to.deep.include({ kind: 'reminder', deadlineKind: 'managerResponse' });
    expect(reminder.sent).to.equal(true);
  });

  it('withdrawing cancels the running deadline', () => {
    expect(scheduled().take('withdraw', { actor: caseworker, reason: 'r' })).to.deep.include({ status: 'withdrawn', closes: { hearing: 'cancelled' } });
  });
});
