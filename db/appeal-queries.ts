/**
 * The read model: the case record (AppealView) built from its rows once per request, lists of
 * appeals, an appeal's timeline and its notices.
 */
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AppealView, DeadlineRecord, TimelineEvent } from '../domain/appeal';
import type { AppealStatus } from '../domain/lifecycle';
import { DEADLINE_KINDS } from '../domain/policy';
import { deadlinesOf, decisionsOf, findAppealRow, type AppealRow, type DeadlineRow } from './appeals';
import { AppealEntity, NotificationEntity, type DecisionEntity } from './entities';
import { readTimeline, verifyTimeline } from './timeline';

export interface AppealFilter {
  status?: AppealStatus;
  department?: string;
  arbiterId?: string;
  overdue?: boolean;
  /** Matches the reference or the proposed mutual's name. */
  q?: string;
  limit: number;
  /** The page after this appeal (older ones)… */
  after?: { createdAt: string; id: string };
  /** …or the page before it (newer ones); not both. */
  before?: { createdAt: string; id: string };
}

/**
 * A page of appeals, newest first, by keyset on (created_at, id). `last` is set when an older page
 * follows, `first` when a newer page comes before (the page after `after`, or one more row before `before`).
 */
export async function listAppeals(
  dataSource: DataSource,
  filter: AppealFilter,
): Promise<{ items: AppealView[]; last?: AppealEntity; first?: AppealEntity }> {
  const rows = await appealPageQuery(dataSource, filter).getMany();
  const more = rows.length > filter.limit;
  const backwards = Boolean(filter.before);
  const page = backwards ? rows.slice(0, filter.limit).reverse() : rows.slice(0, filter.limit);
  const items = await appealViews(dataSource.manager, page);
  const olderFollow = backwards ? page.length > 0 : more;
  const newerBefore = backwards ? more : Boolean(filter.after) && page.length > 0;
  return { items, last: olderFollow ? page[page.length - 1] : undefined, first: newerBefore ? page[0] : undefined };
}

/**
 * The query of one page (and one row more, to tell whether another page follows). Every filter
 * has an index that keeps a page fast at 100,000 appeals (migrations: *_page_idx, the partial
 * overdue index, and trigram indexes for `q`).
 */
export function appealPageQuery(dataSource: DataSource, filter: AppealFilter): SelectQueryBuilder<AppealEntity> {
  const query = dataSource.getRepository(AppealEntity).createQueryBuilder('a');
  if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
  if (filter.department) query.andWhere('a.department_code = :department', { department: filter.department });
  if (filter.arbiterId) query.andWhere('a.arbiter_id = :arbiterId', { arbiterId: filter.arbiterId });
  if (filter.overdue !== undefined) query.andWhere('a.overdue = :overdue', { overdue: filter.overdue });
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere(`(a.reference ILIKE :pattern OR a.proposed_mutual->>'name' ILIKE :pattern)`, { pattern });
  }
  if (filter.after) {
    query.andWhere('(a.created_at, a.id) < (:createdAt, :id)', { createdAt: filter.after.createdAt, id: filter.after.id });
  }
  if (filter.before) {
    // Read newer appeals upwards from the cursor (the same index, scanned the other way); listAppeals turns the page round.
    query.andWhere('(a.created_at, a.id) > (:createdAt, :id)', { createdAt: filter.before.createdAt, id: filter.before.id });
    return query.orderBy('a.created_at', 'ASC').addOrderBy('a.id', 'ASC').limit(filter.limit + 1);
  }
  return query.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit + 1);
}

export async function findAppeal(dataSource: DataSource, id: string): Promise<AppealView | null> {
  const row = await findAppealRow(dataSource.manager, id);
  return row ? appealView(dataSource.manager, row) : null;
}

/** The timeline, oldest first, with whether its hash chain holds and, if not, where it breaks. */
export async function appealTimeline(
  dataSource: DataSource,
  id: string,
): Promise<{ items: TimelineEvent[]; verified: boolean; brokenAtSeq: number | null }> {
  const items = await readTimeline(dataSource.manager, id);
  return { items, ...verifyTimeline(id, items) };
}

/** Every notice of an appeal with its delivery status: `sentAt` is when the mail server accepted it. */
export async function appealNotifications(dataSource: DataSource, id: string) {
  const rows = await dataSource.manager.find(NotificationEntity, { where: { appealId: id }, order: { createdAt: 'ASC', dedupeKey: 'ASC' } });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    deadline: row.deadlineKind,
    recipient: row.recipient,
    recipientRole: row.recipientRole,
    dueAt: iso(row.dueAt),
    status: row.status,
    sentAt: iso(row.sentAt),
    attempts: row.attempts,
    lastError: row.lastError,
    webhookDeliveredAt: iso(row.webhookDeliveredAt),
  }));
}


export async function appealView(db: EntityManager, appeal: AppealRow): Promise<AppealView> {
  const [view] = await appealViews(db, [appeal]);
  return view;
}

/** The records of several appeals, their deadlines and decisions read in one query each. */
export async function appealViews(db: EntityManager, appeals: AppealRow[]): Promise<AppealView[]> {
  if (appeals.length === 0) return [];
  const appealIds = appeals.map((appeal) => appeal.id);
  const [deadlines, decisions] = await Promise.all([deadlinesOf(db, appealIds), decisionsOf(db, appealIds)]);
  return appeals.map((appeal) =>
    toAppealView(
      appeal,
      deadlines.filter((d) => d.appealId === appeal.id),
      decisions.find((d) => d.appealId === appeal.id) ?? null,
    ),
  );
}

function toAppealView(appeal: AppealRow, deadlines: DeadlineRow[], decision: DecisionEntity | null): AppealView {
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

function deadlineRecord(row: DeadlineRow): DeadlineRecord {
  return {
    kind: row.kind,
    dueAt: row.dueAt.toISOString(),
    state: row.state,
    reminderAts: row.reminderAts,
    explanation: row.explanation,
    extensions: row.extensions,
  };
}
