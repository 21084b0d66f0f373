/**
 * One appeal, from submission to its final status. Reads as DESIGN.md's lifecycle: the
 * managers answer or default, an arbiter hears the appeal, decides it, and an overrule is
 * complied with. People act through updates (registered below); deadlines are watched here.
 * The notices each step writes go out beside the appeal, never holding it up.
 */
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { AppealActivities } from '../activities/create';
import { NON_RETRYABLE_ERRORS } from '../activities/errors';
import type { AppealView } from '../domain/appeal';
import type { AppealStatus } from '../domain/lifecycle';
import type { DeadlineKind } from '../domain/policy';
import { AppealCase, type DeadlineTimer, type KeyedStep } from './appeal-case';
import { Deliveries, FEWER_ROUND_TRIPS } from './deliveries';
import { Turns } from './turns';
import {
  ACTION_UPDATES,
  appealSearchAttributes,
  appealStateQuery,
  calendarChangedSignal,
  openAppealUpdate,
  updateStepKey,
  type ActionRequests,
  type AppealWorkflowInput,
  type PersonAction,
} from './shared';

const RECORDING_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
} as const;
const { recordStep } = proxyActivities<AppealActivities>(RECORDING_OPTIONS);
const opening = {
  asActivity: proxyActivities<AppealActivities>(RECORDING_OPTIONS).openAppeal,
  inTheTask: proxyLocalActivities<AppealActivities>(RECORDING_OPTIONS).openAppeal,
};

/**
 * The appeal's opening is recorded as a local activity, in the first workflow task: the update
 * that opened it is answered in that task, without a round trip through the activity queue. Only
 * the opening: it is the first thing the workflow does, whatever else arrives, so a retried task
 * records the same opening. A later step is recorded by an activity, scheduled in a task that
 * completed: recorded within a task that is then lost (its worker died), a step could be one that
 * the retried task, given an update that arrived meanwhile, no longer takes. Histories recorded
 * before this replay with the opening an activity.
 */
const OPENING_IN_THE_TASK = 'opening-in-the-first-workflow-task';

/**
 * The appeal and what runs beside it: steps that change the appeal and record it (people's
 * actions, reminders, missed deadlines) take turns; notices go out on their own.
 */
interface Run {
  appeal: AppealCase;
  turns: Turns;
  deliveries: Deliveries;
}

export async function appealWorkflow(input: AppealWorkflowInput): Promise<AppealStatus> {
  const run: Run = { appeal: new AppealCase(input), turns: new Turns(), deliveries: new Deliveries() };
  const { appeal } = run;
  registerHandlers(run);

  const opened = await (patched(OPENING_IN_THE_TASK) ? opening.inTheTask : opening.asActivity)(input);
  appeal.opened(opened);
  run.deliveries.add(opened.notices);
  publishSearchAttributes(appeal);

  await watchDeadline(run, 'managerResponse');
  await watchDeadline(run, 'hearing');
  await watchDeadline(run, 'decision');
  await watchDeadline(run, 'compliance');

  await condition(() => appeal.isClosed && allHandlersFinished());
  await run.deliveries.allFinished();
  return appeal.status;
}

/**
 * Wait for a deadline to start and send its reminders; if it passes, take the step a missed
 * deadline calls for (the managers default, or the deadline is escalated). Returns once the appeal
 * moved on in time, the deadline was missed, or the appeal closed before the deadline started.
 */
async function watchDeadline(run: Run, kind: DeadlineKind): Promise<void> {
  const { appeal } = run;
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
    const missed = await run.turns.take(async () => {
      if (!unchanged()) return false;
      if (alarm.reminder) {
        await record(run, appeal.remind(kind, alarm.reminder));
        return false;
      }
      await record(run, appeal.deadlinePassed(kind));
      return true;
    });
    if (missed) return;
  }
}

function nextAlarm(timer: DeadlineTimer): { at: number; reminder?: DeadlineTimer['reminders'][number] } {
  const reminder = timer.reminders.find((r) => !r.sent && r.at < timer.dueAt);
  return reminder ? { at: reminder.at, reminder } : { at: timer.dueAt };
}

/** Record a step through the activity, which sends its notices. */
async function record(run: Run, step: KeyedStep): Promise<AppealView> {
  const recorded = await recordStep({ appealId: run.appeal.id, ...step });
  run.deliveries.add(recorded.notices);
  const view = run.appeal.recorded(recorded);
  publishSearchAttributes(run.appeal);
  return view;
}

function publishSearchAttributes(appeal: AppealCase): void {
  const attributes = appealSearchAttributes({ status: appeal.status, department: appeal.input.submission.department, overdue: appeal.view?.overdue ?? false });
  if (!patched(FEWER_ROUND_TRIPS)) {
    upsertSearchAttributes(attributes);
    return;
  }
  const current = workflowInfo().typedSearchAttributes;
  const changed = attributes.filter(({ key, value }) => current.get(key) !== value);
  if (changed.length > 0) upsertSearchAttributes(changed);
}

function registerHandlers(run: Run): void {
  const { appeal } = run;
  setHandler(appealStateQuery, () => appeal.state());

  setHandler(openAppealUpdate, async () => {
    await condition(() => appeal.view !== undefined);
    return appeal.view as AppealView;
  });

  for (const action of Object.keys(ACTION_UPDATES) as PersonAction[]) setAction(run, action);

  // A change to the bank holidays takes its turn like any step; a closed appeal has nothing to move.
  setHandler(calendarChangedSignal, ({ calendarVersion }) =>
    run.turns.take(async () => {
      await condition(() => appeal.view !== undefined);
      if (!appeal.isClosed) await record(run, appeal.calendarChanged(calendarVersion));
    }),
  );
}

/**
 * A person's action, sent as an update. Its rule is checked twice, by the same function: by the
 * validator, so a refusal is answered at once, and again when the action has its turn, because an
 * action accepted while another was being recorded must still hold once that one has changed the
 * appeal. A refusal either way is the same ApplicationFailure, so the API answers the same. The
 * step is keyed by the update's id, so a retried recording writes nothing twice.
 */
function setAction<A extends PersonAction>(run: Run, action: A): void {
  const { appeal, turns } = run;
  const key = () => updateStepKey(currentUpdateInfo()?.id ?? 'unknown');
  const update: UpdateDefinition<AppealView, [ActionRequests[A]]> = ACTION_UPDATES[action];
  setHandler(update, (request: ActionRequests[A]) => turns.take(async () => record(run, { key: key(), ...appeal.take(action, request) })), {
    validator: (request: ActionRequests[A]) => appeal.check(action, request),
  });
}
