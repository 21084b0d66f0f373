/**
 * The read model: the case record (AppealView), built by PostgreSQL in one query when the
 * recording changes the appeal and stored on its row as compact JSON text, so that a read is a
 * short query by primary key (or keyset) answered as stored; lists of appeals, an appeal's
 * timeline and its notices.
 */
import type { DataSource } from 'typeorm';
import type { AppealView, TimelineEvent } from '../domain/appeal';
import type { AppealStatus } from '../domain/lifecycle';
import { DEADLINE_KINDS } from '../domain/policy';
import { preparedRead, type Queryable } from './data-source';
import { NotificationEntity } from './entities';
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

/** Where a page starts or ends, for its cursors. */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

/** An instant as Date#toISOString writes it (to_json of a timestamptz writes another format). */
const isoText = (instant: string) => `to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const DEADLINE_ORDER = `ARRAY[${DEADLINE_KINDS.map((kind) => `'${kind}'`).join(', ')}]::text[]`;

/**
 * The AppealView of the appeal row `a` as JSON, its decision and deadlines read by their primary
 * keys. json_build_object keeps the keys in the order written here (the order AppealViewSchema
 * documents); jsonb columns come out as PostgreSQL stores them, as they did when read into entities.
 */
const APPEAL_VIEW = `json_build_object(
  'id', a.id,
  'reference', a.reference,
  'status', a.status,
  'department', a.department_code,
  'parentBody', a.parent_body,
  'appellant', a.appellant,
  'proposedMutual', a.proposed_mutual,
  'groundsOfAppeal', a.grounds_of_appeal,
  'requestSubmittedOn', a.request_submitted_on,
  'businessCaseSummary', a.business_case_summary,
  'policyVersion', a.policy_version,
  'managerDefaulted', a.manager_defaulted,
  'arbiterId', a.arbiter_id,
  'hearing', a.hearing,
  'decision', (
    SELECT json_build_object('outcome', d.outcome, 'assessment', d.assessment, 'reasons', d.reasons, 'arbiterId', d.arbiter_id, 'decidedAt', ${isoText('d.decided_at')})
    FROM decisions d WHERE d.appeal_id = a.id),
  'deadlines', json_build_object(
    'managerResponseDue', ${isoText('a.manager_response_due')},
    'hearingDue', ${isoText('a.hearing_due')},
    'decisionDue', ${isoText('a.decision_due')},
    'complianceDue', ${isoText('a.compliance_due')}),
  'deadlineDetails', (
    SELECT coalesce(json_agg(json_build_object(
             'kind', k.kind, 'dueAt', ${isoText('k.due_at')}, 'state', k.state, 'reminderAts', k.reminder_ats, 'explanation', k.explanation, 'extensions', k.extensions)
             ORDER BY array_position(${DEADLINE_ORDER}, k.kind::text)), '[]')
    FROM appeal_deadlines k WHERE k.appeal_id = a.id AND k.kind = ANY(${DEADLINE_ORDER})),
  'overdue', a.overdue,
  'createdAt', ${isoText('a.created_at')},
  'updatedAt', ${isoText('a.updated_at')})`;

/**
 * Case records built now, by appeal id: for the recording to store, and for appeals whose row holds
 * none (recorded before records were stored, or bulk-seeded). A change to APPEAL_VIEW needs a
 * migration that clears the stored ones (`UPDATE appeals SET view = NULL`), so none is read in the
 * old shape.
 */
async function buildViews(db: Queryable, ids: string[]): Promise<Map<string, AppealView>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; view: AppealView }[]>(`SELECT a.id, ${APPEAL_VIEW} AS view FROM appeals a WHERE a.id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, row.view]));
}

/** The stored records of these rows, and the others built. Reading a stored one is a short query PostgreSQL plans at once. */
async function withViews<R extends { id: string; view: string | null }>(db: Queryable, rows: R[]): Promise<(R & { view: string })[]> {
  const built = await buildViews(db, rows.filter((row) => row.view === null).map((row) => row.id));
  // Written compact, as the recording stores them, so every answer is the same text.
  return rows.map((row) => ({ ...row, view: row.view ?? JSON.stringify(built.get(row.id)) }));
}

/** A case record as JSON text, with what scopes it: the API answers the text as it is, without parsing and writing it again. */
export interface AppealJson {
  json: string;
  department: string;
  arbiterId: string | null;
}

/** The case record of an appeal as JSON text; on a transaction's EntityManager, as that transaction sees it. */
export async function findAppealJson(db: Queryable, id: string): Promise<AppealJson | null> {
  const rows = await preparedRead<{ id: string; view: string | null; department: string; arbiterId: string | null }>(
    db,
    `SELECT a.id, a.view::text AS view, a.department_code AS department, a.arbiter_id AS "arbiterId" FROM appeals a WHERE a.id = $1`,
    [id],
  );
  const [row] = await withViews(db, rows);
  return row ? { json: row.view, department: row.department, arbiterId: row.arbiterId } : null;
}

/** The case record of an appeal. */
export async function findAppeal(db: Queryable, id: string): Promise<AppealView | null> {
  const found = await findAppealJson(db, id);
  return found ? (JSON.parse(found.json) as AppealView) : null;
}

/** Build the case record as this transaction has written the appeal, store it on the row (compact) and return it. */
export async function storeAppealView(db: Queryable, id: string): Promise<AppealView | null> {
  const view = (await buildViews(db, [id])).get(id);
  if (!view) return null;
  await db.query(`UPDATE appeals SET view = $2 WHERE id = $1`, [id, JSON.stringify(view)]);
  return view;
}

/**
 * A page of appeals, newest first, by keyset on (created_at, id), each case record as JSON text
 * (as findAppealJson). `last` is set when
 * an older page follows, `first` when a newer page comes before (the page after `after`, or one
 * more row before `before`).
 */
export async function listAppeals(
  db: Queryable,
  filter: AppealFilter,
): Promise<{ items: string[]; last?: PagePosition; first?: PagePosition }> {
  const [sql, parameters] = appealPageQuery(filter);
  const rows = await withViews(db, await preparedRead<PagePosition & { id: string; view: string | null }>(db, sql, parameters));
  const more = rows.length > filter.limit;
  const backwards = Boolean(filter.before);
  const page = backwards ? rows.slice(0, filter.limit).reverse() : rows.slice(0, filter.limit);
  const olderFollow = backwards ? page.length > 0 : more;
  const newerBefore = backwards ? more : Boolean(filter.after) && page.length > 0;
  return {
    items: page.map((row) => row.view),
    last: olderFollow ? positionOf(page[page.length - 1]) : undefined,
    first: newerBefore ? positionOf(page[0]) : undefined,
  };
}

const positionOf = ({ createdAt, id }: PagePosition): PagePosition => ({ createdAt, id });

/**
 * The query of one page (and one row more, to tell whether another page follows) with its
 * parameters. Every filter has an index that keeps a page fast at 100,000 appeals (migrations:
 * *_page_idx, the partial overdue index, and trigram indexes for `q`); the views are built for
 * the rows of the page only.
 */
export function appealPageQuery(filter: AppealFilter): [string, unknown[]] {
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => `$${parameters.push(value)}`;
  const conditions: string[] = [];
  if (filter.status) conditions.push(`a.status = ${parameter(filter.status)}`);
  if (filter.department) conditions.push(`a.department_code = ${parameter(filter.department)}`);
  if (filter.arbiterId) conditions.push(`a.arbiter_id = ${parameter(filter.arbiterId)}`);
  if (filter.overdue !== undefined) conditions.push(`a.overdue = ${parameter(filter.overdue)}`);
  if (filter.q) {
    const pattern = parameter(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(a.reference ILIKE ${pattern} OR a.proposed_mutual->>'name' ILIKE ${pattern})`);
  }
  if (filter.after) conditions.push(`(a.created_at, a.id) < (${parameter(filter.after.createdAt)}, ${parameter(filter.after.id)})`);
  // Read newer appeals upwards from the cursor (the same index, scanned the other way); listAppeals turns the page round.
  if (filter.before) conditions.push(`(a.created_at, a.id) > (${parameter(filter.before.createdAt)}, ${parameter(filter.before.id)})`);
  const order = filter.before ? 'ASC' : 'DESC';
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const sql = `SELECT a.id, a.created_at AS "createdAt", a.view::text AS view FROM appeals a ${where}
    ORDER BY a.created_at ${order}, a.id ${order} LIMIT ${parameter(filter.limit + 1)}`;
  return [sql, parameters];
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

