/**
 * One appeal, from submission to its final status. Reads as DESIGN.md's lifecycle: the
 * managers answer or default, an arbiter hears the appeal, decides it, and an overrule is
 * complied with. People act through updates (registered below); deadlines are watched here.
 * The notices each step writes are delivered beside the appeal, never holding it up.
 */
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { AppealActivities } from '../activities';
import type { AppealStep } from '../activities/types';
import { NON_RETRYABLE_ERRORS } from '../activities/errors';
import type { AppealStatus } from '../domain/lifecycle';
import type { DeadlineKind } from '../domain/policy';
import { AppealCase, type DeadlineTimer } from './appeal-case';
import {
  appealDepartmentKey,
  appealOverdueKey,
  appealStateQuery,
  appealStatusKey,
  assignArbiterUpdate,
  confirmComplianceUpdate,
  decideUpdate,
  extendDeadlineUpdate,
  openAppealUpdate,
  recordHearingOutcomeUpdate,
  respondAsManagerUpdate,
  scheduleHearingUpdate,
  SYSTEM_ACTOR,
  updateStepKey,
  withdrawUpdate,
  type AppealView,
  type AppealWorkflowInput,
  type ArbiterAssignment,
  type DeadlineExtension,
  type DecisionRequest,
  type HearingOutcome,
  type HearingSchedule,
  type ManagerResponse,
} from './shared';

const { openAppeal, recordStep } = proxyActivities<AppealActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

/** A mail server may be down for hours: retried with backoff, without limit, until it takes the notice. */
const { deliverNotice } = proxyActivities<AppealActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
});

export async function appealWorkflow(input: AppealWorkflowInput): Promise<AppealStatus> {
  const appeal = new AppealCase(input);
  registerHandlers(appeal);

  const opened = await openAppeal(input);
  appeal.opened(opened);
  deliver(appeal, opened.notices);
  publishSearchAttributes(appeal);

  if ((await watchDeadline(appeal, 'managerResponse')) === 'missed') await defaultManager(appeal);
  if ((await watchDeadline(appeal, 'hearing')) === 'missed') await escalate(appeal, 'hearing');
  if ((await watchDeadline(appeal, 'decision')) === 'missed') await escalate(appeal, 'decision');
  if ((await watchDeadline(appeal, 'compliance')) === 'missed') await escalate(appeal, 'compliance');

  await condition(() => appeal.isClosed && allHandlersFinished());
  await appeal.deliveries.allFinished();
  return appeal.status;
}

/**
 * Wait for a deadline to start, send its reminders, and report whether the appeal moved on in
 * time ('met'), let the deadline pass ('missed'), or closed before it started ('skipped').
 */
async function watchDeadline(appeal: AppealCase, kind: DeadlineKind): Promise<'met' | 'missed' | 'skipped'> {
  await condition(() => appeal.deadlines[kind] !== undefined || appeal.isClosed);
  for (;;) {
    const timer = appeal.deadlines[kind];
    if (!timer) return 'skipped';
    if (!appeal.deadlineRunning(kind)) return 'met';
    const alarm = nextAlarm(timer);
    const revision = timer.revision;
    const interrupted = await condition(
      () => !appeal.deadlineRunning(kind) || appeal.deadlines[kind]?.revision !== revision,
      Math.max(alarm.at - Date.now(), 1),
      { summary: `${kind} ${alarm.reminder ? 'reminder' : 'deadline'}` },
    );
    if (interrupted) continue;
    if (!alarm.reminder) return 'missed';
    alarm.reminder.sent = true;
    await record(appeal, {
      key: `reminder:${kind}:${new Date(alarm.at).toISOString()}`,
      event: { type: 'reminder_sent', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt: new Date(timer.dueAt).toISOString() } },
      notice: { kind: 'reminder', deadlineKind: kind, dueAt: new Date(timer.dueAt).toISOString() },
    });
  }
}

function nextAlarm(timer: DeadlineTimer): { at: number; reminder?: DeadlineTimer['reminders'][number] } {
  const reminder = timer.reminders.find((r) => !r.sent && r.at < timer.dueAt);
  return reminder ? { at: reminder.at, reminder } : { at: timer.dueAt };
}

/** The managers let their deadline pass: the appeal goes to a hearing without them. */
async function defaultManager(appeal: AppealCase): Promise<void> {
  const dueAt = new Date(appeal.deadlines.managerResponse?.dueAt ?? 0).toISOString();
  appeal.advance('managerDefault');
  await record(appeal, {
    key: 'missed:managerResponse',
    event: { type: 'manager_defaulted', actor: SYSTEM_ACTOR, data: { deadline: 'managerResponse', dueAt } },
    status: appeal.status,
    changes: { managerDefaulted: true },
    missedDeadline: 'managerResponse',
    notice: { kind: 'escalation', deadlineKind: 'managerResponse', dueAt },
  });
}

/** A missed hearing, decision or compliance deadline is escalated; the appeal stays open. */
async function escalate(appeal: AppealCase, kind: DeadlineKind): Promise<void> {
  const timer = appeal.deadlines[kind];
  if (!timer) return;
  timer.state = 'missed';
  const dueAt = new Date(timer.dueAt).toISOString();
  await record(appeal, {
    key: `missed:${kind}`,
    event: { type: 'deadline_missed', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt } },
    missedDeadline: kind,
    notice: { kind: 'escalation', deadlineKind: kind, dueAt },
  });
}

/** Record a step through the activity and send its notices; steps taken by people are keyed by their update id. */
async function record(appeal: AppealCase, step: Omit<AppealStep, 'appealId'>): Promise<AppealView> {
  const recorded = await recordStep({ appealId: appeal.id, ...step });
  deliver(appeal, recorded.notices);
  const view = appeal.recorded(recorded);
  publishSearchAttributes(appeal);
  return view;
}

/** Each notice goes out on its own; the appeal moves on without waiting for the mail server. */
function deliver(appeal: AppealCase, noticeIds: string[]): void {
  for (const id of noticeIds) appeal.deliveries.track(id, deliverNotice(id));
}

function updateKey(): string {
  return updateStepKey(currentUpdateInfo()?.id ?? 'unknown');
}

function publishSearchAttributes(appeal: AppealCase): void {
  upsertSearchAttributes([
    { key: appealStatusKey, value: appeal.status },
    { key: appealDepartmentKey, value: appeal.input.submission.department },
    { key: appealOverdueKey, value: appeal.record?.overdue ?? false },
  ]);
}

function registerHandlers(appeal: AppealCase): void {
  setHandler(appealStateQuery, () => appeal.state());

  setHandler(openAppealUpdate, async () => {
    await condition(() => appeal.record !== undefined);
    return appeal.record as AppealView;
  });

  setHandler(
    respondAsManagerUpdate,
    async ({ actor, position, statement }) => {
      const status = appeal.advance(position);
      return record(appeal, {
        key: updateKey(),
        event: { type: position === 'concede' ? 'manager_conceded' : 'manager_contested', actor, data: { statement } },
        status,
      });
    },
    { validator: ({ position }: ManagerResponse) => appeal.ensureCanTake(position) },
  );

  setHandler(
    assignArbiterUpdate,
    async ({ actor, arbiter }) => {
      appeal.advance('assignArbiter');
      appeal.arbiter = arbiter;
      return record(appeal, {
        key: updateKey(),
        event: { type: 'arbiter_assigned', actor, data: { arbiterId: arbiter.id, name: arbiter.name } },
        changes: { arbiterId: arbiter.id },
      });
    },
    { validator: (assignment: ArbiterAssignment) => appeal.validateArbiterAssignment(assignment) },
  );

  setHandler(
    scheduleHearingUpdate,
    async ({ actor, scheduledFor, location }) => {
      const status = appeal.advance('scheduleHearing');
      const hearing = { scheduledFor, location, outcome: null, notes: null };
      return record(appeal, {
        key: updateKey(),
        event: { type: 'hearing_scheduled', actor, data: { scheduledFor, location } },
        status,
        changes: { hearing },
      });
    },
    { validator: (schedule: HearingSchedule) => appeal.validateHearingSchedule(schedule) },
  );

  setHandler(
    recordHearingOutcomeUpdate,
    async ({ actor, outcome, rescheduledFor, notes }) => {
      const status = appeal.advance(outcome === 'held' ? 'holdHearing' : 'adjournHearing');
      const previous = appeal.record?.hearing;
      const hearing = {
        scheduledFor: outcome === 'adjourned' && rescheduledFor ? rescheduledFor : (previous?.scheduledFor ?? ''),
        location: previous?.location ?? '',
        outcome,
        notes: notes ?? null,
      };
      return record(appeal, {
        key: updateKey(),
        event: { type: outcome === 'held' ? 'hearing_held' : 'hearing_adjourned', actor, data: { rescheduledFor, notes } },
        status,
        changes: { hearing },
      });
    },
    { validator: (outcome: HearingOutcome) => appeal.validateHearingOutcome(outcome) },
  );

  setHandler(
    decideUpdate,
    async ({ actor, outcome, assessment, reasons }) => {
      const status = appeal.advance(outcome);
      return record(appeal, {
        key: updateKey(),
        event: { type: 'decision_made', actor, data: { outcome, assessment, reasons } },
        status,
        decision: { outcome, assessment, reasons, arbiterId: actor.sub },
        notice: { kind: 'decision' },
      });
    },
    { validator: (decision: DecisionRequest) => appeal.validateDecision(decision) },
  );

  setHandler(
    confirmComplianceUpdate,
    async ({ actor, statement }) => {
      const status = appeal.advance('confirmCompliance');
      return record(appeal, {
        key: updateKey(),
        event: { type: 'compliance_confirmed', actor, data: { statement } },
        status,
      });
    },
    { validator: (_confirmation) => appeal.ensureCanTake('confirmCompliance') },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, reason }) => {
      const status = appeal.advance('withdraw');
      return record(appeal, { key: updateKey(), event: { type: 'withdrawn', actor, data: { reason } }, status });
    },
    { validator: (_withdrawal) => appeal.ensureCanTake('withdraw') },
  );

  setHandler(
    extendDeadlineUpdate,
    async ({ actor, kind, until, reason }) => {
      return record(appeal, {
        key: updateKey(),
        event: { type: 'deadline_extended', actor, data: { reason } },
        extendDeadline: { kind, until, reason, by: actor.sub },
      });
    },
    { validator: (extension: DeadlineExtension) => appeal.validateExtension(extension) },
  );
}
