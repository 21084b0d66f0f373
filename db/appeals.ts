/**
 * The appeal aggregate's repository: the appeal row, its deadlines and its decision, read and
 * written inside the caller's transaction. No rules here: activities/recording.ts decides nothing
 * either, it writes the steps the appeal decided.
 */
import type { DeadlineEnd, Decision } from '../domain/appeal';
import type { DeadlineKind } from '../domain/policy';
import { In, type EntityManager } from 'typeorm';
import { AppealDeadlineEntity, AppealEntity, DecisionEntity, PolicyVersionEntity } from './entities';

export type AppealRow = AppealEntity;
export type DeadlineRow = AppealDeadlineEntity;

export async function findAppealRow(db: EntityManager, id: string): Promise<AppealRow | null> {
  return db.findOne(AppealEntity, { where: { id } });
}

export async function findAppealRows(db: EntityManager, ids: string[]): Promise<AppealRow[]> {
  return db.find(AppealEntity, { where: { id: In(ids) } });
}

/** The appeal row, locked for the rest of the transaction: steps of one appeal are written one at a time. */
export async function lockAppealRow(db: EntityManager, id: string): Promise<AppealRow | null> {
  return db.findOne(AppealEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** The department's policy in force, with its version. */
export async function latestPolicy(db: EntityManager, department: string): Promise<PolicyVersionEntity | null> {
  return db.findOne(PolicyVersionEntity, { where: { departmentCode: department }, order: { version: 'DESC' } });
}

/** The next number of the appeal reference sequence. */
export async function nextReferenceNumber(db: EntityManager): Promise<string> {
  const [{ n }] = await db.query<{ n: string }[]>(`SELECT nextval('appeal_reference_seq') AS n`);
  return n;
}

export async function insertAppealRow(db: EntityManager, row: Omit<AppealRow, 'managerResponseDue' | 'hearingDue' | 'decisionDue' | 'complianceDue'>): Promise<AppealRow> {
  const appeal = db.create(AppealEntity, row);
  await db.insert(AppealEntity, appeal);
  return appeal;
}

/** Write the columns a step may change, in one UPDATE (the caller read the row under its lock). */
export async function saveAppealRow(db: EntityManager, appeal: AppealRow): Promise<void> {
  const { status, arbiterId, hearing, managerDefaulted, overdue, lastSeq, lastHash, updatedAt, managerResponseDue, hearingDue, decisionDue, complianceDue } = appeal;
  await db.update(
    AppealEntity,
    { id: appeal.id },
    { status, arbiterId, hearing, managerDefaulted, overdue, lastSeq, lastHash, updatedAt, managerResponseDue, hearingDue, decisionDue, complianceDue },
  );
}

export async function insertDeadline(db: EntityManager, row: DeadlineRow): Promise<DeadlineRow> {
  const deadline = db.create(AppealDeadlineEntity, row);
  await db.insert(AppealDeadlineEntity, deadline);
  return deadline;
}

export async function findDeadline(db: EntityManager, appealId: string, kind: DeadlineKind): Promise<DeadlineRow> {
  return db.findOneOrFail(AppealDeadlineEntity, { where: { appealId, kind } });
}

export async function saveDeadline(db: EntityManager, row: DeadlineRow): Promise<void> {
  await db.save(AppealDeadlineEntity, row);
}

/** End running deadlines of an appeal: met, cancelled or missed. A deadline already ended stays as it ended. */
export async function endDeadlines(db: EntityManager, appealId: string, ends: Partial<Record<DeadlineKind, DeadlineEnd>>): Promise<void> {
  const byEnd = new Map<DeadlineEnd, DeadlineKind[]>();
  for (const [kind, end] of Object.entries(ends) as [DeadlineKind, DeadlineEnd][]) byEnd.set(end, [...(byEnd.get(end) ?? []), kind]);
  for (const [state, kinds] of byEnd) await db.update(AppealDeadlineEntity, { appealId, kind: In(kinds), state: 'running' }, { state });
}

export async function deadlinesOf(db: EntityManager, appealIds: string[]): Promise<DeadlineRow[]> {
  return db.find(AppealDeadlineEntity, { where: { appealId: In(appealIds) } });
}

export async function insertDecision(db: EntityManager, appealId: string, decision: Omit<Decision, 'decidedAt'>, decidedAt: Date): Promise<void> {
  await db.insert(DecisionEntity, { ...decision, appealId, decidedAt });
}

export async function decisionsOf(db: EntityManager, appealIds: string[]): Promise<DecisionEntity[]> {
  return db.find(DecisionEntity, { where: { appealId: In(appealIds) } });
}
