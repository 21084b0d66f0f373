import { expect } from 'chai';
import { actionsOpenTo, byDueDate, statusesAwaiting, workFor, type AppealFacts, type Person } from '../../domain/actions';
import type { AppealStatus } from '../../domain/lifecycle';

const caseworker: Person = { sub: 'cw-1', role: 'caseworker' };
const admin: Person = { sub: 'admin-1', role: 'admin' };
const manager: Person = { sub: 'm-1', role: 'manager', department: 'HO' };
const otherManager: Person = { sub: 'm-2', role: 'manager', department: 'MOJ' };
const arbiter: Person = { sub: 'arb-1', role: 'arbiter' };
const otherArbiter: Person = { sub: 'arb-2', role: 'arbiter' };

const NOW = new Date('2027-03-01T12:00:00Z');
const LATER = '2027-03-20T23:59:59.000Z';
const EARLIER = '2027-02-20T23:59:59.000Z';

/** An appeal in `status` whose current stage's deadline runs until LATER. */
function appeal(status: AppealStatus, changes: Partial<AppealFacts> = {}): AppealFacts {
  const kind = { awaiting_manager_response: 'managerResponse', awaiting_hearing: 'hearing', hearing_scheduled: 'hearing', awaiting_decision: 'decision', awaiting_compliance: 'compliance' } as const;
  const running = status in kind ? [{ kind: kind[status as keyof typeof kind], state: 'running', dueAt: LATER }] : [];
  return { status, department: 'HO', arbiterId: null, overdue: false, deadlineDetails: running, ...changes };
}

describe('actions: who may act on an appeal now, and whose work it is', () => {
  it('opens each action only to its roles, in the statuses its steps fit', () => {
    expect(actionsOpenTo(manager, appeal('awaiting_manager_response'))).to.deep.equal(['respond']);
    expect(actionsOpenTo(caseworker, appeal('awaiting_manager_response'))).to.deep.equal(['withdraw', 'extendDeadline']);
    expect(actionsOpenTo(caseworker, appeal('awaiting_hearing'))).to.deep.equal(['assignArbiter', 'withdraw', 'extendDeadline']);
    expect(actionsOpenTo(manager, appeal('awaiting_compliance'))).to.deep.equal(['confirmCompliance']);
    expect(actionsOpenTo(admin, appeal('awaiting_hearing'))).to.deep.equal([]);
    for (const person of [caseworker, manager, arbiter, admin]) expect(actionsOpenTo(person, appeal('complied'))).to.deep.equal([]);
  });

  it('lets managers act only for their department, and arbiters only on appeals assigned to them', () => {
    expect(actionsOpenTo(otherManager, appeal('awaiting_manager_response'))).to.deep.equal([]);
    const assigned = appeal('awaiting_decision', { arbiterId: arbiter.sub });
    expect(actionsOpenTo(arbiter, assigned)).to.deep.equal(['decide']);
    expect(actionsOpenTo(otherArbiter, assigned)).to.deep.equal([]);
  });

  it('schedules a hearing only once an arbiter is assigned, and extends only a running deadline', () => {
    expect(actionsOpenTo(caseworker, appeal('awaiting_hearing', { arbiterId: 'arb-1' }))).to.include('scheduleHearing');
    expect(actionsOpenTo(arbiter, appeal('awaiting_hearing', { arbiterId: 'arb-1' }))).to.deep.equal(['scheduleHearing']);
    const missed = appeal('hearing_scheduled', { arbiterId: 'arb-1', overdue: true, deadlineDetails: [{ kind: 'hearing', state: 'missed', dueAt: EARLIER }] });
    expect(actionsOpenTo(caseworker, missed)).to.not.include('extendDeadline');
  });

  it('finds the statuses each role\'s work waits in', () => {
    expect(statusesAwaiting('manager')).to.deep.equal(['awaiting_manager_response', 'awaiting_compliance']);
    expect(statusesAwaiting('caseworker')).to.deep.equal(['awaiting_hearing']);
    expect(statusesAwaiting('arbiter')).to.deep.equal(['awaiting_hearing', 'hearing_scheduled', 'awaiting_decision']);
    expect(statusesAwaiting('admin')).to.deep.equal([]);
  });

  it('gives an appeal to whoever acts next, with the due date of the running deadline', () => {
    expect(workFor(manager, appeal('awaiting_manager_response'), NOW)).to.deep.equal({ action: 'respond', deadline: 'managerResponse', dueAt: LATER, overdue: false });
    expect(workFor(caseworker, appeal('awaiting_manager_response'), NOW)).to.equal(undefined);
    expect(workFor(caseworker, appeal('awaiting_hearing'), NOW)?.action).to.equal('assignArbiter');
    expect(workFor(caseworker, appeal('awaiting_hearing', { arbiterId: 'arb-1' }), NOW)).to.equal(undefined);
    expect(workFor(arbiter, appeal('awaiting_hearing', { arbiterId: 'arb-1' }), NOW)?.action).to.equal('scheduleHearing');
    expect(workFor(otherArbiter, appeal('hearing_scheduled', { arbiterId: 'arb-1' }), NOW)).to.equal(undefined);
    expect(workFor(admin, appeal('awaiting_hearing'), NOW)).to.equal(undefined);
  });

  it('marks work overdue when its deadline was missed or its due date has passed', () => {
    const missed = appeal('awaiting_decision', { arbiterId: 'arb-1', overdue: true, deadlineDetails: [{ kind: 'decision', state: 'missed', dueAt: EARLIER }] });
    expect(workFor(arbiter, missed, NOW)).to.deep.equal({ action: 'decide', deadline: 'decision', dueAt: EARLIER, overdue: true });
    const passed = appeal('awaiting_compliance', { deadlineDetails: [{ kind: 'compliance', state: 'running', dueAt: EARLIER }] });
    expect(workFor(manager, passed, NOW)?.overdue).to.equal(true);
  });

  it('orders work soonest due first, work without a due date last', () => {
    const items = [{ dueAt: null }, { dueAt: LATER }, { dueAt: EARLIER }];
    expect(items.sort(byDueDate).map((i) => i.dueAt)).to.deep.equal([EARLIER, LATER, null]);
  });
});
