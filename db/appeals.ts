import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { computeDeadline, rescheduleReminders } from '../domain/calendar';
import { closingState, DEADLINE_RUNS_WHILE, deadlineStartedBy, isOverdue } from '../domain/lifecycle';
import { recipientsOf, type RecipientRole } from '../domain/notices';
import { DEADLINE_KINDS, type DeadlineKind } from '../domain/policy';
import { AppealNotFoundError, UnknownDepartmentError } from '../activities/errors';
import type { AppealStep, DeadlineSchedule, OpenAppealInput, OpenedAppeal, StepResult } from '../activities/types';
import type { AppealView, DeadlineRecord } from '../workflows/shared';
import {
  AppealDeadlineEntity,
  AppealEntity,
  ArbiterEntity,
  DecisionEntity,
  NotificationEntity,
  PolicyVersionEntity,
  TimelineEventEntity,
} from './entities';
import { appendEvent } from './timeline';

export interface RecordingContext {
  now: Date;
  caseworkerTeam: string;
}

/** Open an appeal: the case record, its first deadline, the `submitted` event and first notices. */
export async function openAppeal(dataSource: DataSource, input: OpenAppealInput, ctx: RecordingContext): Promise<OpenedAppeal> {
  return dataSource.transaction(async (db) => {
    const existing = await db.findOne(AppealEntity, { where: { id: input.appealId } });
    if (existing) return openedAppeal(db, existing);

    const { submission } = input;
    const policyVersion = await db.findOne(PolicyVersionEntity, {
      where: { departmentCode: submission.department },
      order: { version: 'DESC' },
    });
    if (!policyVersion) throw new UnknownDepartmentError(`No department with code ${submission.department}`);

    const [{ n }] = await db.query<{ n: string }[]>(`SELECT nextval('appeal_reference_seq') AS n`);
    const year = DateTime.fromJSDate(ctx.now, { zone: 'Europe/London' }).year;
    const appeal = db.create(AppealEntity, {
      id: input.appealId,
      reference: `MUT-${year}-${n.padStart(6, '0')}`,
      status: 'awaiting_manager_response',
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
    await db.insert(AppealEntity, appeal);
    const deadline = await startDeadline(db, appeal, 'managerResponse', ctx.now);
    await appendToTimeline(db, appeal, {
      stepKey: OPENED_STEP,
      type: 'submitted',
      actor: input.submittedBy,
      data: { reference: appeal.reference, policyVersion: appeal.policyVersion, deadline: { kind: deadline.kind, dueAt: deadline.dueAt } },
    }, ctx.now);
    await writeNotices(db, appeal, OPENED_STEP, { kind: 'appeal_opened', deadlineKind: deadline.kind, dueAt: deadline.dueAt }, ctx);
    await db.save(AppealEntity, appeal);
    return openedAppeal(db, appeal);
  });
}

const OPENED_STEP = 'submitted';

async function openedAppeal(db: EntityManager, appeal: AppealEntity): Promise<OpenedAppeal> {
  const view = await appealView(db, appeal);
  const deadline = view.deadlineDetails.find((d) => d.kind === 'managerResponse');
  if (!deadline) throw new Error(`Appeal ${appeal.id} has no manager response deadline`);
  const notices = await noticeIds(db, appeal.id, OPENED_STEP, { kind: 'appeal_opened' });
  return { appeal: view, policy: appeal.policy, deadline: scheduleOf(deadline), notices };
}

/** Record one step of an appeal, exactly once per step key. */
export async function recordStep(dataSource: DataSource, step: AppealStep, ctx: RecordingContext): Promise<StepResult> {
  return dataSource.transaction(async (db) => {
    const appeal = await db.findOne(AppealEntity, { where: { id: step.appealId }, lock: { mode: 'pessimistic_write' } });
    if (!appeal) throw new AppealNotFoundError(`No appeal ${step.appealId}`);
    const recorded = await db.exists(TimelineEventEntity, { where: { appealId: appeal.id, stepKey: step.key } });
    if (recorded) return stepResult(db, appeal, step);

    const eventData: Record<string, unknown> = { ...step.event.data };
    Object.assign(appeal, step.changes ?? {});
    if (step.decision) {
      await db.insert(DecisionEntity, { ...step.decision, appealId: appeal.id, decidedAt: ctx.now });
    }
    if (step.missedDeadline) {
      await db.update(AppealDeadlineEntity, { appealId: appeal.id, kind: step.missedDeadline, state: 'running' }, { state: 'missed' });
    }
    if (step.extendDeadline) {
      const { previousDueAt, schedule } = await extendDeadline(db, appeal, step.extendDeadline, ctx.now);
      eventData.deadline = { kind: schedule.kind, previousDueAt, dueAt: schedule.dueAt };
    }
    let started: DeadlineSchedule | null = null;
    if (step.status && step.status !== appeal.status) {
      started = await changeStatus(db, appeal, step.status, ctx.now);
      if (started) eventData.deadline = { kind: started.kind, dueAt: started.dueAt };
    }
    const deadlines = await db.find(AppealDeadlineEntity, { where: { appealId: appeal.id } });
    appeal.overdue = isOverdue(appeal.status, deadlines);
    appeal.updatedAt = ctx.now;
    await appendToTimeline(db, appeal, { stepKey: step.key, type: step.event.type, actor: step.event.actor, data: eventData }, ctx.now);
    if (step.notice) await writeNotices(db, appeal, step.key, aboutDeadline(step.notice, started), ctx);
    await db.save(AppealEntity, appeal);
    return stepResult(db, appeal, step);
  });
}

async function stepResult(db: EntityManager, appeal: AppealEntity, step: AppealStep): Promise<StepResult> {
  const view = await appealView(db, appeal);
  const kind = step.extendDeadline?.kind ?? (step.status ? deadlineStartedBy(undefined, step.status) : undefined);
  const deadline = view.deadlineDetails.find((d) => d.kind === kind && d.state === 'running');
  const notices = step.notice ? await noticeIds(db, appeal.id, step.key, step.notice) : [];
  return { appeal: view, deadline: deadline ? scheduleOf(deadline) : null, notices };
}

type Notice = NonNullable<AppealStep['notice']>;

/** A notice naming no deadline of its own is about the one its step started (an overrule's compliance). */
function aboutDeadline(notice: Notice, started: DeadlineSchedule | null): Notice {
  return notice.deadlineKind || !started ? notice : { ...notice, deadlineKind: started.kind, dueAt: started.dueAt };
}

/** Move to a new status: close deadlines that stop running, start the one the status begins. */
async function changeStatus(db: EntityManager, appeal: AppealEntity, to: AppealEntity['status'], now: Date): Promise<DeadlineSchedule | null> {
  const from = appeal.status;
  appeal.status = to;
  const stopped = DEADLINE_KINDS.filter((kind) => !DEADLINE_RUNS_WHILE[kind].includes(to));
  await db.update(AppealDeadlineEntity, { appealId: appeal.id, kind: In(stopped), state: 'running' }, { state: closingState(to) });
  const kind = deadlineStartedBy(from, to);
  return kind ? startDeadline(db, appeal, kind, now) : null;
}

async function startDeadline(db: EntityManager, appeal: AppealEntity, kind: DeadlineKind, now: Date): Promise<DeadlineSchedule> {
  const computed = computeDeadline({ policy: appeal.policy, policyVersion: appeal.policyVersion, kind, start: now });
  const row = db.create(AppealDeadlineEntity, {
    appealId: appeal.id,
    kind,
    dueAt: computed.dueAt,
    state: 'running',
    reminderAts: computed.reminderAts.map((d) => d.toISOString()),
    explanation: computed.explanation,
    extensions: [],
  });
  await db.insert(AppealDeadlineEntity, row);
  setDueColumn(appeal, kind, computed.dueAt);
  return scheduleOf(row);
}

async function extendDeadline(
  db: EntityManager,
  appeal: AppealEntity,
  extension: NonNullable<AppealStep['extendDeadline']>,
  now: Date,
): Promise<{ previousDueAt: string; schedule: DeadlineSchedule }> {
  const row = await db.findOneOrFail(AppealDeadlineEntity, { where: { appealId: appeal.id, kind: extension.kind } });
  const until = new Date(extension.until);
  const previousDueAt = row.dueAt.toISOString();
  row.extensions = [...row.extensions, { from: previousDueAt, until: until.toISOString(), reason: extension.reason, by: extension.by, at: now.toISOString() }];
  row.dueAt = until;
  row.reminderAts = rescheduleReminders({ policy: appeal.policy, dueAt: until, now }).map((d) => d.toISOString());
  await db.save(AppealDeadlineEntity, row);
  setDueColumn(appeal, extension.kind, until);
  return { previousDueAt, schedule: scheduleOf(row) };
}

function setDueColumn(appeal: AppealEntity, kind: DeadlineKind, dueAt: Date): void {
  const column = `${kind}Due` as const;
  appeal[column] = dueAt;
}

async function appendToTimeline(db: EntityManager, appeal: AppealEntity, event: Parameters<typeof appendEvent>[3], at: Date): Promise<void> {
  const appended = await appendEvent(db, appeal.id, appeal, event, at);
  appeal.lastSeq = appended.seq;
  appeal.lastHash = appended.hash;
}

/** One key per recipient of a step's notice: a notice is written once however often its step is retried. */
function dedupeKey(appealId: string, stepKey: string, notice: Notice, role: RecipientRole): string {
  return `${appealId}:${stepKey}:${notice.kind}:${role}`;
}

/** The ids of the notices a step wrote, in recipient order. */
async function noticeIds(db: EntityManager, appealId: string, stepKey: string, notice: Notice): Promise<string[]> {
  const keys = recipientsOf(notice.kind, notice.deadlineKind).map((role) => dedupeKey(appealId, stepKey, notice, role));
  const rows = await db.find(NotificationEntity, { select: { id: true, dedupeKey: true }, where: { dedupeKey: In(keys) } });
  return keys.flatMap((key) => rows.filter((row) => row.dedupeKey === key).map((row) => row.id));
}

async function writeNotices(db: EntityManager, appeal: AppealEntity, stepKey: string, notice: Notice, ctx: RecordingContext): Promise<void> {
  for (const role of recipientsOf(notice.kind, notice.deadlineKind)) {
    const recipient = await addressOf(db, appeal, role, ctx);
    await db
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values({
        id: randomUUID(),
        appealId: appeal.id,
        dedupeKey: dedupeKey(appeal.id, stepKey, notice, role),
        kind: notice.kind,
        deadlineKind: notice.deadlineKind ?? null,
        recipient: recipient.address,
        recipientRole: recipient.role,
        dueAt: notice.dueAt ? new Date(notice.dueAt) : null,
        status: 'pending',
        attempts: 0,
        createdAt: ctx.now,
      })
      .orIgnore()
      .execute();
  }
}

/** The address of a party; a notice for an arbiter not yet assigned goes to the caseworkers. */
async function addressOf(
  db: EntityManager,
  appeal: AppealEntity,
  role: RecipientRole,
  ctx: RecordingContext,
): Promise<{ role: RecipientRole; address: string }> {
  const party = await partyOf(db, appeal, role);
  return party ? { role, address: party.email } : { role: 'caseworkers', address: ctx.caseworkerTeam };
}

/** The person behind a recipient role on an appeal; none for the caseworker team or an arbiter not yet assigned. */
export async function partyOf(db: EntityManager, appeal: AppealEntity, role: RecipientRole): Promise<{ name: string; email: string } | null> {
  switch (role) {
    case 'manager':
      return { name: appeal.parentBody.managerName, email: appeal.parentBody.managerEmail };
    case 'appellant':
      return appeal.appellant;
    case 'arbiter':
      return appeal.arbiterId ? db.findOne(ArbiterEntity, { where: { id: appeal.arbiterId } }) : null;
    case 'caseworkers':
      return null;
  }
}

function scheduleOf(deadline: { kind: DeadlineKind; dueAt: Date | string; reminderAts: string[] }): DeadlineSchedule {
  return { kind: deadline.kind, dueAt: new Date(deadline.dueAt).toISOString(), reminderAts: deadline.reminderAts };
}

export async function appealView(db: EntityManager, appeal: AppealEntity): Promise<AppealView> {
  const [view] = await appealViews(db, [appeal]);
  return view;
}

/** The records of several appeals, their deadlines and decisions read in one query each. */
export async function appealViews(db: EntityManager, appeals: AppealEntity[]): Promise<AppealView[]> {
  if (appeals.length === 0) return [];
  const appealIds = appeals.map((appeal) => appeal.id);
  const [deadlines, decisions] = await Promise.all([
    db.find(AppealDeadlineEntity, { where: { appealId: In(appealIds) } }),
    db.find(DecisionEntity, { where: { appealId: In(appealIds) } }),
  ]);
  return appeals.map((appeal) =>
    toAppealView(
      appeal,
      deadlines.filter((d) => d.appealId === appeal.id),
      decisions.find((d) => d.appealId === appeal.id) ?? null,
    ),
  );
}

function toAppealView(appeal: AppealEntity, deadlines: AppealDeadlineEntity[], decision: DecisionEntity | null): AppealView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: appeal.id,
    reference: appeal.reference,
    status: appeal.status,
    department: appeal.departmentCode,
    parentBody: appeal.parentBody,
    appellant: appeal.appellant,
    proposedMutual: appeal.proposedMutual,
    groundsOfAppeal: appeal.groundsOfAppeal,
    requestSubmittedOn: appeal.requestSubmittedOn,
    businessCaseSummary: appeal.businessCaseSummary,
    policyVersion: appeal.policyVersion,
    managerDefaulted: appeal.managerDefaulted,
    arbiterId: appeal.arbiterId,
    hearing: appeal.hearing,
    decision: decision
      ? { outcome: decision.outcome, assessment: decision.assessment, reasons: decision.reasons, arbiterId: decision.arbiterId, decidedAt: decision.decidedAt.toISOString() }
      : null,
    deadlines: {
      managerResponseDue: iso(appeal.managerResponseDue),
      hearingDue: iso(appeal.hearingDue),
      decisionDue: iso(appeal.decisionDue),
      complianceDue: iso(appeal.complianceDue),
    },
    deadlineDetails: DEADLINE_KINDS.flatMap((kind) => deadlines.filter((d) => d.kind === kind)).map(deadlineRecord),
    overdue: appeal.overdue,
    createdAt: appeal.createdAt.toISOString(),
    updatedAt: appeal.updatedAt.toISOString(),
  };
}

function deadlineRecord(row: AppealDeadlineEntity): DeadlineRecord {
  return {
    kind: row.kind,
    dueAt: row.dueAt.toISOString(),
    state: row.state,
    reminderAts: row.reminderAts,
    explanation: row.explanation,
    extensions: row.extensions,
  };
}
