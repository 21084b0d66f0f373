/**
 * Recording an appeal: opening it, and writing each step the appeal decided, exactly once per
 * step key, in one transaction: the appeal row, its deadlines, its decision, the timeline event
 * and the notice rows. The step says what changes; this works out only the instants (a deadline's
 * due date from the appeal's policy) and the addresses of the people a notice goes to.
 *
 * A decision step also makes the decision letter, once its transaction committed: rendered from
 * the decision as recorded, its bytes put in the document store, then recorded as a step of its
 * own (the documents row and its `document_added` event, right after the decision's in the hash
 * chain). A retried or racing recording of the decision finds the letter made and keeps no copy.
 */
import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import {
  deadlinesOf,
  endDeadlines,
  findAppealRow,
  findDeadline,
  insertAppealRow,
  insertDeadline,
  insertDecision,
  latestPolicy,
  lockAppealRow,
  nextReferenceNumber,
  saveAppealRow,
  saveDeadline,
  type AppealRow,
} from '../db/appeals';
import { findAppeal, storeAppealView } from '../db/appeal-queries';
import { decisionLetterOf, insertDocument } from '../db/documents';
import { PostgresDocumentStore, type DocumentStore } from '../db/document-store';
import { insertNotice, noticeIdsOf } from '../db/notifications';
import { appendEvent, stepRecorded, type NewTimelineEvent } from '../db/timeline';
import { calendarInForce } from '../db/calendars';
import { computeDeadline, recalculateDeadline, rescheduleReminders, type RecalculatedDeadline } from '../domain/calendar';
import { deadlinesOnMove, deadlineStartedBy, FIRST_STATUS, isOverdue } from '../domain/lifecycle';
import { recipientsOf, type RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';
import { SYSTEM_ACTOR, type AppealView } from '../domain/appeal';
import { letterDocument, renderDecisionLetter } from './decision-letter';
import { AppealNotFoundError, UnknownDepartmentError } from './errors';
import { partyOf } from './parties';
import type { AppealStep, DeadlineSchedule, OpenAppealInput, OpenedAppeal, StepNotice, StepResult } from './types';

export interface RecordingDependencies {
  dataSource: DataSource;
  /** Where notices for the caseworkers (and for an arbiter not yet assigned) go. */
  caseworkerTeam: string;
  /** Where the decision letter's bytes go: the API's store (PostgreSQL's by default). */
  documentStore?: DocumentStore;
  /** Hands the notices a step wrote, once recorded, to be sent now (the worker's NoticeDispatcher). */
  dispatchNotices?: (noticeIds: string[]) => void;
  clock?: () => Date;
}

interface Context {
  now: Date;
  caseworkerTeam: string;
}

const OPENED_STEP = 'submitted';

export function createRecordingActivities({
  dataSource,
  caseworkerTeam,
  documentStore = new PostgresDocumentStore(dataSource),
  dispatchNotices = () => undefined,
  clock = () => new Date(),
}: RecordingDependencies) {
  const context = (): Context => ({ now: clock(), caseworkerTeam });

  /** The decision's letter, unless an earlier attempt made it; bytes another attempt beat us to recording are deleted. */
  const makeDecisionLetter = async (decision: AppealStep): Promise<void> => {
    const { appealId } = decision;
    if (await decisionLetterOf(dataSource.manager, appealId)) return;
    const rendered = await renderDecisionLetter(dataSource.manager, appealId);
    if (!rendered) throw new Error(`Appeal ${appealId} has no recorded decision to write the letter of`);
    const blob = await documentStore.put(Readable.from([rendered.pdf]));
    const document = letterDocument(rendered.letter, blob);
    const step: AppealStep = { appealId, key: letterStepKey(decision.key), event: { type: 'document_added', actor: SYSTEM_ACTOR, data: { ...document } }, closes: {}, document };
    await dataSource.transaction((db) => recordStep(db, step, context()));
    if ((await decisionLetterOf(dataSource.manager, appealId))?.id !== blob.id) await documentStore.delete(blob.id);
  };

  return {
    /** Record a new appeal with its first deadline, timeline event and notices, and send the notices. */
    openAppeal: async (input: OpenAppealInput): Promise<OpenedAppeal> => {
      const opened = await dataSource.transaction((db) => openAppeal(db, input, context()));
      dispatchNotices(opened.notices);
      return opened;
    },
    /** Record one step of an appeal exactly once (and a decision's letter with it), and send its notices. */
    recordStep: async (step: AppealStep): Promise<StepResult> => {
      const result = await dataSource.transaction((db) => recordStep(db, step, context()));
      if (!step.decision) {
        dispatchNotices(result.notices);
        return result;
      }
      await makeDecisionLetter(step);
      dispatchNotices(result.notices); // the decision's notices carry the letter
      // The letter's step changed the appeal too (its updatedAt): the decision answers the appeal as it now stands.
      return { ...result, appeal: await recordedView(dataSource.manager, step.appealId) };
    },
  };
}

/** The step that records the letter of the decision step `decisionKey`. */
const letterStepKey = (decisionKey: string): string => `${decisionKey}:decision-letter`;

async function openAppeal(db: EntityManager, input: OpenAppealInput, ctx: Context): Promise<OpenedAppeal> {
  const existing = await findAppealRow(db, input.appealId);
  if (existing) return openedAppeal(db, existing, await recordedView(db, existing.id));

  const { submission } = input;
  const policyVersion = await latestPolicy(db, submission.department);
  if (!policyVersion) throw new UnknownDepartmentError(`No department with code ${submission.department}`);

  const n = await nextReferenceNumber(db);
  const year = DateTime.fromJSDate(ctx.now, { zone: 'Europe/London' }).year;
  const appeal = await insertAppealRow(db, {
    id: input.appealId,
    reference: `MUT-${year}-${n.padStart(6, '0')}`,
    status: FIRST_STATUS,
    departmentCode: submission.department,
    policyVersion: policyVersion.version,
    policy: policyVersion.policy,
    parentBody: submission.parentBody,
    appellant: submission.appellant,
    proposedMutual: submission.proposedMutual,
    groundsOfAppeal: submission.groundsOfAppeal,
    requestSubmittedOn: submission.requestSubmittedOn,
    businessCaseSummary: submission.businessCaseSummary,
    managerDefaulted: false,
    arbiterId: null,
    hearing: null,
    overdue: false,
    lastSeq: 0,
    lastHash: null,
    createdBy: input.submittedBy.sub,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  const deadline = await startDeadline(db, appeal, 'managerResponse', ctx.now);
  await appendToTimeline(db, appeal, {
    stepKey: OPENED_STEP,
    type: 'submitted',
    actor: input.submittedBy,
    data: { reference: appeal.reference, policyVersion: appeal.policyVersion, deadline: { kind: deadline.kind, dueAt: deadline.dueAt } },
  }, ctx.now);
  await writeNotices(db, appeal, OPENED_STEP, { kind: 'appeal_opened', deadlineKind: deadline.kind, dueAt: deadline.dueAt }, ctx);
  await saveAppealRow(db, appeal);
  return openedAppeal(db, appeal, await storedView(db, appeal.id));
}

/** The case record as recorded, as this transaction sees it. */
async function recordedView(db: EntityManager, appealId: string): Promise<AppealView> {
  const view = await findAppeal(db, appealId);
  if (!view) throw new AppealNotFoundError(`No appeal ${appealId}`);
  return view;
}

/** The case record as this transaction has written it, stored on the appeal row for the reads (callers save the appeal row first). */
async function storedView(db: EntityManager, appealId: string): Promise<AppealView> {
  const view = await storeAppealView(db, appealId);
  if (!view) throw new AppealNotFoundError(`No appeal ${appealId}`);
  return view;
}

async function openedAppeal(db: EntityManager, appeal: AppealRow, view: AppealView): Promise<OpenedAppeal> {
  const deadline = view.deadlineDetails.find((d) => d.kind === 'managerResponse');
  if (!deadline) throw new Error(`Appeal ${appeal.id} has no manager response deadline`);
  const notices = await noticeIds(db, appeal.id, OPENED_STEP, { kind: 'appeal_opened' });
  return { appeal: view, policy: appeal.policy, deadline: scheduleOf(deadline), notices };
}

async function recordStep(db: EntityManager, given: AppealStep, ctx: Context): Promise<StepResult> {
  const appeal = await lockAppealRow(db, given.appealId);
  if (!appeal) throw new AppealNotFoundError(`No appeal ${given.appealId}`);
  const step = given.closes ? given : await fromEarlierWorkflow(db, appeal, given);
  if (await stepRecorded(db, appeal.id, step.key)) return stepResult(db, appeal, step, await recordedView(db, appeal.id));

  const eventData: Record<string, unknown> = { ...step.event.data };
  Object.assign(appeal, step.changes ?? {});
  if (step.decision) await insertDecision(db, appeal.id, step.decision, ctx.now);
  if (step.document) await insertDocument(db, appeal.id, step.document, step.event.actor, ctx.now);
  await endDeadlines(db, appeal.id, step.closes ?? {});
  if (step.extendDeadline) {
    const { previousDueAt, schedule } = await extendDeadline(db, appeal, step.extendDeadline, ctx.now);
    eventData.deadline = { kind: schedule.kind, previousDueAt, dueAt: schedule.dueAt };
  }
  let notice = step.notice;
  if (step.recalculateDeadlines) {
    const moved = await recalculateRunningDeadline(db, appeal, ctx.now);
    // Nothing moved (the appeal moved on, or the change does not touch its days): nothing to record.
    if (!moved) return { appeal: await recordedView(db, appeal.id), deadline: null, notices: [] };
    Object.assign(eventData, recalculationFacts(moved));
    // Counted on the year's data rather than the rules but due at the same instant: the parties need no notice.
    if (moved.dueAt.getTime() !== moved.previousDueAt.getTime()) notice = { kind: 'deadline_moved', deadlineKind: moved.kind, dueAt: moved.dueAt.toISOString() };
  }
  if (step.status) appeal.status = step.status;
  if (step.starts) {
    const started = await startDeadline(db, appeal, step.starts, ctx.now);
    eventData.deadline = { kind: started.kind, dueAt: started.dueAt };
    if (notice?.deadlineKind === started.kind && !notice.dueAt) notice = { ...notice, dueAt: started.dueAt };
  }
  appeal.overdue = isOverdue(appeal.status, await deadlinesOf(db, [appeal.id]));
  appeal.updatedAt = ctx.now;
  await appendToTimeline(db, appeal, { stepKey: step.key, type: step.event.type, actor: step.event.actor, data: eventData }, ctx.now);
  if (notice) await writeNotices(db, appeal, step.key, notice, ctx);
  await saveAppealRow(db, appeal);
  return stepResult(db, appeal, step, await storedView(db, appeal.id));
}

/**
 * A step from a workflow scheduled before steps said which deadlines they close and start (one
 * whose recording was still being retried when the worker was upgraded): the same rule the appeal
 * now applies itself (domain/lifecycle.ts), applied to the appeal as recorded.
 */
async function fromEarlierWorkflow(db: EntityManager, appeal: AppealRow, step: AppealStep): Promise<AppealStep> {
  const closes: AppealStep['closes'] = step.missedDeadline ? { [step.missedDeadline]: 'missed' } : {};
  if (!step.status) return { ...step, closes };
  // Already recorded (or a step that keeps the status): only its result is read, with the deadline its status starts.
  if (step.status === appeal.status) return { ...step, closes, starts: deadlineStartedBy(undefined, step.status) };
  const running = (await deadlinesOf(db, [appeal.id])).filter((d) => d.state === 'running' && !closes[d.kind]).map((d) => d.kind);
  const moved = deadlinesOnMove(appeal.status, step.status, running);
  const notice = step.notice && !step.notice.deadlineKind && moved.starts ? { ...step.notice, deadlineKind: moved.starts } : step.notice;
  return { ...step, closes: { ...moved.closes, ...closes }, starts: moved.starts, notice };
}

async function stepResult(db: EntityManager, appeal: AppealRow, step: AppealStep, view: AppealView): Promise<StepResult> {
  const kind = step.extendDeadline?.kind ?? step.starts;
  const deadline = step.recalculateDeadlines
    ? view.deadlineDetails.find((d) => d.state === 'running')
    : view.deadlineDetails.find((d) => d.kind === kind && d.state === 'running');
  const notice = step.recalculateDeadlines && deadline ? { kind: 'deadline_moved' as const, deadlineKind: deadline.kind } : step.notice;
  const notices = notice ? await noticeIds(db, appeal.id, step.key, notice) : [];
  return { appeal: view, deadline: deadline ? scheduleOf(deadline) : null, notices };
}

async function startDeadline(db: EntityManager, appeal: AppealRow, kind: DeadlineKind, now: Date): Promise<DeadlineSchedule> {
  const holidays = await calendarInForce(db);
  const computed = computeDeadline({ policy: appeal.policy, policyVersion: appeal.policyVersion, kind, start: now, holidays });
  const row = await insertDeadline(db, {
    appealId: appeal.id,
    kind,
    dueAt: computed.dueAt,
    state: 'running',
    reminderAts: computed.reminderAts.map((d) => d.toISOString()),
    explanation: computed.explanation,
    extensions: [],
  });
  setDueColumn(appeal, kind, computed.dueAt);
  return scheduleOf(row);
}

async function extendDeadline(
  db: EntityManager,
  appeal: AppealRow,
  extension: NonNullable<AppealStep['extendDeadline']>,
  now: Date,
): Promise<{ previousDueAt: string; schedule: DeadlineSchedule }> {
  const row = await findDeadline(db, appeal.id, extension.kind);
  const until = new Date(extension.until);
  const previousDueAt = row.dueAt.toISOString();
  row.extensions = [...row.extensions, { from: previousDueAt, until: until.toISOString(), reason: extension.reason, by: extension.by, at: now.toISOString() }];
  row.dueAt = until;
  const holidays = await calendarInForce(db);
  row.reminderAts = rescheduleReminders({ policy: appeal.policy, dueAt: until, now, holidays }).map((d) => d.toISOString());
  await saveDeadline(db, row);
  setDueColumn(appeal, extension.kind, until);
  return { previousDueAt, schedule: scheduleOf(row) };
}

/**
 * The appeal's running deadline counted again on the calendar in force; undefined when it does
 * not move (recalculateDeadline says when). Its reminders still to come are counted again too.
 */
async function recalculateRunningDeadline(db: EntityManager, appeal: AppealRow, now: Date): Promise<(RecalculatedDeadline & { kind: DeadlineKind }) | undefined> {
  const row = (await deadlinesOf(db, [appeal.id])).find((d) => d.state === 'running');
  if (!row) return undefined;
  const holidays = await calendarInForce(db);
  const deadline = { ...row, dueAt: row.dueAt.toISOString() };
  const moved = recalculateDeadline({ deadline, policy: appeal.policy, holidays, now });
  if (!moved) return undefined;
  row.dueAt = moved.dueAt;
  row.reminderAts = moved.reminderAts.map((d) => d.toISOString());
  row.explanation = moved.explanation;
  await saveDeadline(db, row);
  setDueColumn(appeal, row.kind, moved.dueAt);
  return { ...moved, kind: row.kind };
}

/** What the timeline says of a moved deadline: before, after, and why. */
function recalculationFacts(moved: RecalculatedDeadline & { kind: DeadlineKind }): Record<string, unknown> {
  const { explanation } = moved;
  return {
    calendarVersion: explanation.calendarVersion,
    deadline: { kind: moved.kind, previousDueAt: moved.previousDueAt.toISOString(), dueAt: moved.dueAt.toISOString() },
    holidaysAdded: moved.holidaysAdded,
    holidaysRemoved: moved.holidaysRemoved,
    provisional: explanation.provisional,
  };
}

function setDueColumn(appeal: AppealRow, kind: DeadlineKind, dueAt: Date): void {
  const column = `${kind}Due` as const;
  appeal[column] = dueAt;
}

async function appendToTimeline(db: EntityManager, appeal: AppealRow, event: NewTimelineEvent, at: Date): Promise<void> {
  const appended = await appendEvent(db, appeal.id, appeal, event, at);
  appeal.lastSeq = appended.seq;
  appeal.lastHash = appended.hash;
}

/** One key per recipient of a step's notice: a notice is written once however often its step is retried. */
function dedupeKey(appealId: string, stepKey: string, notice: StepNotice, role: RecipientRole): string {
  return `${appealId}:${stepKey}:${notice.kind}:${role}`;
}

/** The ids of the notices a step wrote, in recipient order. */
async function noticeIds(db: EntityManager, appealId: string, stepKey: string, notice: StepNotice): Promise<string[]> {
  return noticeIdsOf(db, recipientsOf(notice.kind, notice.deadlineKind).map((role) => dedupeKey(appealId, stepKey, notice, role)));
}

async function writeNotices(db: EntityManager, appeal: AppealRow, stepKey: string, notice: StepNotice, ctx: Context): Promise<void> {
  for (const role of recipientsOf(notice.kind, notice.deadlineKind)) {
    // A notice for an arbiter not yet assigned goes to the caseworkers.
    const party = await partyOf(db, appeal, role);
    await insertNotice(db, {
      appealId: appeal.id,
      dedupeKey: dedupeKey(appeal.id, stepKey, notice, role),
      kind: notice.kind,
      deadlineKind: notice.deadlineKind ?? null,
      recipient: party ? party.email : ctx.caseworkerTeam,
      recipientRole: party ? role : 'caseworkers',
      dueAt: notice.dueAt ? new Date(notice.dueAt) : null,
      createdAt: ctx.now,
    });
  }
}

function scheduleOf(deadline: { kind: DeadlineKind; dueAt: Date | string; reminderAts: string[] }): DeadlineSchedule {
  return { kind: deadline.kind, dueAt: new Date(deadline.dueAt).toISOString(), reminderAts: deadline.reminderAts };
}
