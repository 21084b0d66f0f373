/**
 * The bank holiday calendar as versioned data (table calendar_versions): version 1 is the
 * snapshot shipped in data/bank-holidays.json, and every change an administrator makes is the
 * next version, with the whole document, what changed, who, when and why. Versions never change
 * once written, so each is read from the database once per process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { BankHolidayCalendar, diffBankHolidays, parseBankHolidays, type BankHolidaysDocument, type HolidayChange } from '../domain/bank-holidays';
import type { DeadlineRecord } from '../domain/appeal';
import { recalculateDeadline } from '../domain/calendar';
import type { DeadlineKind, Policy } from '../domain/policy';

export const SNAPSHOT_PATH = path.resolve(__dirname, '..', 'data', 'bank-holidays.json');

export interface CalendarVersionView {
  version: number;
  changedAt: string;
  changedBy: string;
  reason: string;
  changes: HolidayChange[];
}

interface CalendarVersionRow {
  version: number;
  holidays: BankHolidaysDocument;
  changes: HolidayChange[];
  reason: string;
  changed_by: string;
  changed_at: Date;
}

type Queryable = DataSource | EntityManager;
const dataSourceOf = (db: Queryable): DataSource => ('connection' in db ? db.connection : db);

/** The snapshot shipped with the engine; a broken file stops the start with the reason. */
export function readSnapshot(file = SNAPSHOT_PATH): BankHolidaysDocument {
  const parsed = parseBankHolidays(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(`${file} is not a valid bank-holidays.json: ${parsed.problems.join('; ')}`);
  return parsed.document;
}

/** Version 1, from the snapshot, when the database has no calendar yet. */
export async function seedCalendar(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `INSERT INTO calendar_versions (version, holidays, changes, reason, changed_by) VALUES (1, $1, '[]', $2, 'seed') ON CONFLICT DO NOTHING`,
    [JSON.stringify(readSnapshot()), 'The bank holidays shipped with the engine (data/bank-holidays.json)'],
  );
}

// ---- reading ----------------------------------------------------------------------------------

const versionsRead = new WeakMap<DataSource, Map<number, BankHolidayCalendar>>();

/** A version of the calendar, read from the database the first time this process needs it. */
export async function calendarVersion(db: Queryable, version: number): Promise<BankHolidayCalendar> {
  const cache = versionsRead.get(dataSourceOf(db)) ?? new Map<number, BankHolidayCalendar>();
  versionsRead.set(dataSourceOf(db), cache);
  const cached = cache.get(version);
  if (cached) return cached;
  const [row] = await db.query<{ holidays: BankHolidaysDocument }[]>(`SELECT holidays FROM calendar_versions WHERE version = $1`, [version]);
  if (!row) throw new Error(`No calendar version ${version}`);
  const calendar = new BankHolidayCalendar(version, row.holidays);
  cache.set(version, calendar);
  return calendar;
}

/** The calendar in force: its latest version. */
export async function calendarInForce(db: Queryable): Promise<BankHolidayCalendar> {
  const [row] = await db.query<{ version: number }[]>(`SELECT max(version) AS version FROM calendar_versions`);
  if (!row?.version) throw new Error('The calendar has no version: run the migrations');
  return calendarVersion(db, row.version);
}

/** Every version, newest first, without the documents. */
export async function calendarHistory(db: Queryable): Promise<CalendarVersionView[]> {
  const rows = await db.query<CalendarVersionRow[]>(`SELECT version, changes, reason, changed_by, changed_at FROM calendar_versions ORDER BY version DESC`);
  return rows.map(versionView);
}

function versionView(row: Omit<CalendarVersionRow, 'holidays'>): CalendarVersionView {
  return { version: row.version, changedAt: row.changed_at.toISOString(), changedBy: row.changed_by, reason: row.reason, changes: row.changes };
}

// ---- changing ---------------------------------------------------------------------------------

/** Serialises calendar changes: each reads the latest version and writes the next. */
const CALENDAR_LOCK = 0x6361_6c65;

export interface CalendarChange {
  calendar: BankHolidayCalendar;
  /** The new version; or, when nothing changed, the version in force, and no changes. */
  version: CalendarVersionView;
  changed: boolean;
}

/**
 * Make version n+1 from the latest document: `change` returns the next document, or throws the
 * refusal (the caller's problem). A document equal to the latest makes no version.
 */
export async function changeCalendar(
  dataSource: DataSource,
  change: (latest: BankHolidaysDocument) => BankHolidaysDocument,
  by: string,
  reason: string,
): Promise<CalendarChange> {
  return dataSource.transaction(async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [CALENDAR_LOCK]);
    const latest = await calendarInForce(db);
    const next = change(latest.document);
    const changes = diffBankHolidays(latest.document, next);
    if (changes.length === 0) {
      const [row] = await db.query<CalendarVersionRow[]>(`SELECT version, changes, reason, changed_by, changed_at FROM calendar_versions WHERE version = $1`, [latest.version]);
      return { calendar: latest, version: versionView(row), changed: false };
    }
    const [row] = await db.query<CalendarVersionRow[]>(
      `INSERT INTO calendar_versions (version, holidays, changes, reason, changed_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING version, changes, reason, changed_by, changed_at`,
      [latest.version + 1, JSON.stringify(next), JSON.stringify(changes), reason, by],
    );
    return { calendar: new BankHolidayCalendar(row.version, next), version: versionView(row), changed: true };
  });
}

/** Versions whose recalculation of open deadlines has not finished (or never started). */
export async function versionsToRecalculate(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ version: number }[]>(`SELECT version FROM calendar_versions WHERE recalculated_at IS NULL ORDER BY version`);
  return rows.map((r) => r.version);
}

export async function markRecalculated(db: Queryable, version: number): Promise<void> {
  await db.query(`UPDATE calendar_versions SET recalculated_at = now() WHERE version = $1 AND recalculated_at IS NULL`, [version]);
}

// ---- deadlines a version may move ---------------------------------------------------------------

/** A running deadline with what it takes to count it again. */
export interface RunningDeadline {
  appealId: string;
  reference: string;
  policy: Policy;
  deadline: Pick<DeadlineRecord, 'kind' | 'dueAt' | 'state' | 'reminderAts' | 'explanation' | 'extensions'>;
}

/**
 * Running deadlines, after `afterAppealId` in id order, that a calendar version may move: those
 * still to fall due whose counting days (from the London day they started to the one they end)
 * include a date the version changed in their calendar, those counted on the standard rules
 * (provisional), and those counted before the calendar was data. Whether one does move is
 * recalculateDeadline's to say; this only narrows the search.
 */
export async function deadlinesToRecalculate(
  db: Queryable,
  args: { changes: HolidayChange[]; now: Date; afterAppealId?: string; limit: number },
): Promise<RunningDeadline[]> {
  const rows = await db.query<
    { appeal_id: string; reference: string; policy: Policy; kind: DeadlineKind; due_at: Date; state: 'running'; reminder_ats: string[]; explanation: DeadlineRecord['explanation']; extensions: DeadlineRecord['extensions'] }[]
  >(
    `SELECT d.appeal_id, a.reference, a.policy, d.kind, d.due_at, d.state, d.reminder_ats, d.explanation, d.extensions
       FROM appeal_deadlines d JOIN appeals a ON a.id = d.appeal_id
      WHERE d.state = 'running' AND d.due_at > $1 AND d.appeal_id > $2
        AND (d.explanation->'calendarVersion' IS NULL
             OR coalesce((d.explanation->>'provisional')::boolean, false)
             OR EXISTS (SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS c(division text, date date)
                         WHERE c.division = a.policy->>'calendar'
                           AND c.date >= ((d.explanation->>'start')::timestamptz AT TIME ZONE 'Europe/London')::date
                           AND c.date <= (d.due_at AT TIME ZONE 'Europe/London')::date))
      ORDER BY d.appeal_id
      LIMIT $4`,
    [args.now, args.afterAppealId ?? '00000000-0000-0000-0000-000000000000', JSON.stringify(args.changes), args.limit],
  );
  return rows.map((r) => ({
    appealId: r.appeal_id,
    reference: r.reference,
    policy: r.policy,
    deadline: { kind: r.kind, dueAt: r.due_at.toISOString(), state: r.state, reminderAts: r.reminder_ats, explanation: r.explanation, extensions: r.extensions },
  }));
}

/** What a version changed, as recorded with it. */
export async function changesOf(db: Queryable, version: number): Promise<HolidayChange[]> {
  const [row] = await db.query<{ changes: HolidayChange[] }[]>(`SELECT changes FROM calendar_versions WHERE version = $1`, [version]);
  if (!row) throw new Error(`No calendar version ${version}`);
  return row.changes;
}

/** An open appeal's deadline that a calendar version moves. */
export interface DeadlineMove {
  appealId: string;
  reference: string;
  kind: DeadlineKind;
  previousDueAt: string;
  dueAt: string;
}

/**
 * One page (in appeal id order) of the running deadlines that a version's `changes` move when
 * counted on `holidays` (the calendar in force), and where the next page starts, if any.
 */
export async function deadlineMoves(
  db: Queryable,
  args: { changes: HolidayChange[]; holidays: BankHolidayCalendar; now: Date; afterAppealId?: string; limit: number },
): Promise<{ moves: DeadlineMove[]; next?: string }> {
  const { changes, now, afterAppealId, limit } = args;
  const candidates = await deadlinesToRecalculate(db, { changes, now, afterAppealId, limit });
  const moves: DeadlineMove[] = [];
  for (const { appealId, reference, policy, deadline } of candidates) {
    const moved = recalculateDeadline({ deadline, policy, holidays: args.holidays, now: args.now });
    if (moved) moves.push({ appealId, reference, kind: deadline.kind, previousDueAt: deadline.dueAt, dueAt: moved.dueAt.toISOString() });
  }
  return candidates.length < args.limit ? { moves } : { moves, next: candidates.at(-1)?.appealId };
}
