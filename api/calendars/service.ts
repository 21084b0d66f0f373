import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { ROLES, type Role } from '../../domain/appeal';
import { parseBankHolidays, type BankHolidayEvent, type BankHolidaysDocument } from '../../domain/bank-holidays';
import { CALENDARS, type CalendarName } from '../../domain/policy';
import {
  calendarHistory,
  calendarInForce,
  changeCalendar,
  deadlineMoves,
  versionsToRecalculate,
  type CalendarChange,
  type CalendarVersionView,
  type DeadlineMove,
} from '../../db/calendars';
import { calendarChangeWorkflowId } from '../../workflows/shared';
import { assertRole } from '../auth/access';
import type { Caller } from '../context';
import { conflict, notFound, unprocessable } from '../errors';

/** Who may make each call about the calendar: the API's handlers and the pages check the same. */
export const CALENDAR_ROLES = {
  read: ROLES,
  change: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** At most this many moved deadlines are listed in an answer; `count` says how many there are. */
const LISTED_MOVES = 1000;

export interface CalendarView {
  version: number;
  holidays: BankHolidaysDocument;
  /** Null for a division without any holiday in the data (every year is then counted on the rules). */
  yearsCovered: Record<CalendarName, { first: number; last: number } | null>;
  history: CalendarVersionView[];
}

export interface CalendarChangeView {
  version: CalendarVersionView;
  /** False when the document equals the calendar in force: no version is made. */
  changed: boolean;
  /** The open appeals' deadlines the change moves: each is moved by its appeal, once, in the background. */
  movedDeadlines: { count: number; items: DeadlineMove[] };
}

export interface CalendarServiceDeps {
  dataSource: DataSource;
  client: Client;
  taskQueue: string;
  /** The database schema, which names the change's workflow (one per version and schema). */
  schema: string;
}

/**
 * The bank holidays deadlines are counted on, and the changes an administrator makes to them:
 * each change is the next calendar version, and the open appeals whose running deadlines it moves
 * are counted again (workflows/calendar-change.ts).
 */
export class CalendarService {
  constructor(private readonly deps: CalendarServiceDeps) {}

  async read(caller: Caller): Promise<CalendarView> {
    assertRole(caller, CALENDAR_ROLES.read);
    const calendar = await calendarInForce(this.deps.dataSource);
    const covered = (division: CalendarName) => {
      const years = calendar.yearsCovered(division);
      return Number.isFinite(years.first) ? years : null;
    };
    const yearsCovered = Object.fromEntries(CALENDARS.map((division) => [division, covered(division)])) as CalendarView['yearsCovered'];
    return { version: calendar.version, holidays: calendar.document, yearsCovered, history: await calendarHistory(this.deps.dataSource) };
  }

  /** Replace the whole calendar with a GOV.UK bank-holidays.json document. */
  async replace(caller: Caller, input: unknown, reason: string): Promise<CalendarChangeView> {
    assertRole(caller, CALENDAR_ROLES.change);
    const parsed = parseBankHolidays(input);
    if (!parsed.ok) {
      throw unprocessable('The document is not a valid bank-holidays.json', parsed.problems.map((problem) => ({ path: problem.split(':')[0], message: problem })));
    }
    return this.change(caller, () => parsed.document, reason);
  }

  /** A bank holiday proclaimed in one division. */
  async addHoliday(caller: Caller, division: CalendarName, holiday: BankHolidayEvent, reason: string): Promise<CalendarChangeView> {
    assertRole(caller, CALENDAR_ROLES.change);
    return this.change(
      caller,
      (latest) => {
        const { events } = latest[division];
        const existing = events.find((event) => event.date === holiday.date);
        if (existing) throw conflict(`${holiday.date} is already a bank holiday in ${division}: ${existing.title}`);
        return withEvents(latest, division, [...events, holiday].sort((a, b) => a.date.localeCompare(b.date)));
      },
      reason,
    );
  }

  /** A bank holiday cancelled in one division. */
  async removeHoliday(caller: Caller, division: CalendarName, date: string, reason: string): Promise<CalendarChangeView> {
    assertRole(caller, CALENDAR_ROLES.change);
    return this.change(
      caller,
      (latest) => {
        const { events } = latest[division];
        if (!events.some((event) => event.date === date)) throw notFound(`${date} is not a bank holiday in ${division}`);
        return withEvents(latest, division, events.filter((event) => event.date !== date));
      },
      reason,
    );
  }

  /**
   * Start the recalculation of every version whose open deadlines have not all been offered the
   * change: the one just made, and any whose start was lost (the API stopped between the two).
   */
  async recalculatePending(): Promise<void> {
    for (const version of await versionsToRecalculate(this.deps.dataSource)) {
      try {
        await this.deps.client.workflow.start('calendarChangeWorkflow', {
          workflowId: calendarChangeWorkflowId(this.deps.schema, version),
          taskQueue: this.deps.taskQueue,
          args: [{ calendarVersion: version }],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
  }

  private async change(caller: Caller, next: (latest: BankHolidaysDocument) => BankHolidaysDocument, reason: string): Promise<CalendarChangeView> {
    const { dataSource } = this.deps;
    const change = await changeCalendar(dataSource, next, caller.sub, reason);
    if (!change.changed) return { version: change.version, changed: false, movedDeadlines: { count: 0, items: [] } };
    const moved = await allMoves(dataSource, change);
    await this.recalculatePending();
    return { version: change.version, changed: true, movedDeadlines: { count: moved.length, items: moved.slice(0, LISTED_MOVES) } };
  }
}

function withEvents(document: BankHolidaysDocument, division: CalendarName, events: BankHolidayEvent[]): BankHolidaysDocument {
  return { ...document, [division]: { division, events } };
}

async function allMoves(dataSource: DataSource, { calendar, version }: CalendarChange): Promise<DeadlineMove[]> {
  const now = new Date();
  const moves: DeadlineMove[] = [];
  let after: string | undefined;
  do {
    const page = await deadlineMoves(dataSource, { changes: version.changes, holidays: calendar, now, afterAppealId: after, limit: 1000 });
    moves.push(...page.moves);
    after = page.next;
  } while (after);
  return moves;
}
