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
import type { UpdateDefinition } from '@temporalio/common';
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
  type Actor,
  type AppealView,
  type AppealWorkflowInput,
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

  await watchDeadline(appeal, 'managerResponse', defaultManager);
  await watchDeadline(appeal, 'hearing', escalate);
  await watchDeadline(appeal, 'decision', escalate);
  await watchDeadline(appeal, 'compliance', escalate);

  await condition(() => appeal.isClosed && allHandlersFinished());
  await appeal.deliveries.allFinished();
  return appeal.status;
}

/**
 * Wait for a deadline to start and send its reminders; if it passes, take the step a missed
 * deadline calls for. Returns once the appeal moved on in time, the deadline was missed, or the
 * appeal closed before the deadline started.
 */
async function watchDeadline(appeal: AppealCase, kind: DeadlineKind, whenMissed: (appeal: AppealCase, kind: DeadlineKind) => Promise<void>): Promise<void> {
  await condition(() => appeal.deadlines[kind] !== undefined || appeal.isClosed);
  for (;;) {
    const timer = appeal.deadlines[kind];
    if (!timer || !appeal.deadlineRunning(kind)) return;
    const alarm = nextAlarm(timer);
    const revision = timer.revision;
    const unchanged = () => appeal.deadlineRunning(kind) && appeal.deadlines[kind]?.revision === revision;
    const interrupted = await condition(() => !unchanged(), Math.max(alarm.at - Date.now(), 1), {
      summary: `${kind} ${alarm.reminder ? 'reminder' : 'deadline'}`,
    });
    if (interrupted) continue;
    // The alarm went off, but a step that had its turn first may have met or moved the deadline.
    const missed = await appeal.turns.take(async () => {
      if (!unchanged()) return false;
      if (alarm.reminder) {
        await sendReminder(appeal, kind, timer, alarm.reminder);
        return false;
      }
      await whenMissed(appeal, kind);
      return true;
    });
    if (missed) return;
  }
}

async function sendReminder(appeal: AppealCase, kind: DeadlineKind, timer: DeadlineTimer, reminder: DeadlineTimer['reminders'][number]): Promise<void> {
  reminder.sent = true;
  const dueAt = new Date(timer.dueAt).toISOString();
  await record(appeal, {
    key: `reminder:${kind}:${new Date(reminder.at).toISOString()}`,
    event: { type: 'reminder_sent', actor: SYSTEM_ACTOR, data: { deadline: kind, dueAt } },
    notice: { kind: 'reminder', deadlineKind: kind, dueAt },
  });
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

/**
 * A person's action, sent as an update. Its rule is checked twice, by the same function: by the
 * validator, so a refusal is answered at once, and again when the action has its turn, because an
 * action accepted while another was being recorded must still hold once that one has changed the
 * appeal. A refusal either way is the same ApplicationFailure, so the API answers the same.
 */
function setAction<Request extends { actor: Actor }>(
  appeal: AppealCase,
  update: UpdateDefinition<AppealView, [Request]>,
  rule: (request: Request) => void,
  act: (request: Request) => Promise<AppealView>,
): void {
  const handler = (request: Request) =>
    appeal.turns.take(async () => {
      rule(request);
      return act(request);
    });
  setHandler(update, handler, { validator: rule });
}

function registerHandlers(appeal: AppealCase): void {
  setHandler(appealStateQuery, () => appeal.state());

  setHandler(openAppealUpdate, async () => {
    await condition(() => appeal.record !== undefined);
    return appeal.record as AppealView;
  });

  setAction(
    appeal,
    respondAsManagerUpdate,
    ({ position }) => appeal.ensureCanTake(position),
    async ({ actor, position, statement }) => {
      const status = appeal.advance(position);
      return record(appeal, {
        key: updateKey(),
        event: { type: position === 'concede' ? 'manager_conceded' : 'manager_contested', actor, data: { statement } },
        status,
      });
    },
  );

  setAction(
    appeal,
    assignArbiterUpdate,
    (assignment) => appeal.validateArbiterAssignment(assignment),
    async ({ actor, arbiter }) => {
      appeal.advance('assignArbiter');
      appeal.arbiter = arbiter;
      return record(appeal, {
        key: updateKey(),
        event: { type: 'arbiter_assigned', actor, data: { arbiterId: arbiter.id, name: arbiter.name } },
        changes: { arbiterId: arbiter.id },
      });
    },
  );

  setAction(
    appeal,
    scheduleHearingUpdate,
    (schedule) => appeal.validateHearingSchedule(schedule),
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
  );

  setAction(
    appeal,
    recordHearingOutcomeUpdate,
    (outcome) => appeal.validateHearingOutcome(outcome),
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
  );

  setAction(
    appeal,
    decideUpdate,
    (decision) => appeal.validateDecision(decision),
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
  );

  setAction(
    appeal,
    confirmComplianceUpdate,
    () => appeal.ensureCanTake('confirmCompliance'),
    async ({ actor, statement }) => {
      const status = appeal.advance('confirmCompliance');
      return record(appeal, { key: updateKey(), event: { type: 'compliance_confirmed', actor, data: { statement } }, status });
    },
  );

  setAction(
    appeal,
    withdrawUpdate,
    () => appeal.ensureCanTake('withdraw'),
    async ({ actor, reason }) => {
      const status = appeal.advance('withdraw');
      return record(appeal, { key: updateKey(), event: { type: 'withdrawn', actor, data: { reason } }, status });
    },
  );

  setAction(
    appeal,
    extendDeadlineUpdate,
    (extension) => appeal.validateExtension(extension),
    async ({ actor, kind, until, reason }) =>
      record(appeal, {
        key: updateKey(),
        event: { type: 'deadline_extended', actor, data: { reason } },
        extendDeadline: { kind, until, reason, by: actor.sub },
      }),
  );
}
