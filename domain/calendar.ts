/**
 * Deadline arithmetic: working days, bank holidays and the Europe/London wall clock.
 *
 * The bank holidays are a version of the engine's calendar data (domain/bank-holidays.ts), which
 * the caller reads from the database and passes in. Only activities and the API import this
 * module (luxon's time zone rules); the workflow receives the computed instants.
 */
import { DateTime } from 'luxon';
import type { BankHolidayCalendar } from './bank-holidays';
import { periodFor, type CalendarName, type DeadlineKind, type Period, type Policy } from './policy';
import type { DeadlineExplanation, DeadlineRecord } from './appeal';

const LONDON = 'Europe/London';

export interface BankHoliday {
  date: string;
  name: string;
}

export interface PeriodEnd {
  endsAt: Date;
  skippedWeekendDays: string[];
  skippedBankHolidays: BankHoliday[];
  /** Some day counted lies in a year the calendar data does not cover: the standard rules gave its holidays. */
  provisional: boolean;
}

export interface ComputedDeadline {
  dueAt: Date;
  reminderAts: Date[];
  explanation: DeadlineExplanation;
}

/** The days a period is counted on: one division's bank holidays, in one version of the calendar. */
export interface WorkingCalendar {
  division: CalendarName;
  holidays: BankHolidayCalendar;
}

/** How each unit is counted, as every explanation says it. */
export const COUNTING: Record<Period['unit'], string> = {
  working_days:
    'Working days are counted from the day after the period starts: the starting day does not count, nor do Saturdays, Sundays and bank holidays. ' +
    'The deadline ends at 23:59:59 UK time on the last working day, as for a request under section 10 of the Freedom of Information Act 2000 ' +
    '("the twentieth working day following the date of receipt").',
  calendar_days:
    'Days are counted from the day after the period starts: the starting day does not count; weekends and bank holidays do. ' +
    'The deadline ends at 23:59:59 UK time on the last day.',
  hours: 'Counted exactly from the instant the period started.',
  minutes: 'Counted exactly from the instant the period started.',
  seconds: 'Counted exactly from the instant the period started.',
};

// ---- bank holidays ----------------------------------------------------------------------------

/** A holiday as an explanation names it: "Boxing Day (substitute day)". */
function holidayName(holiday: { title: string; notes: string }): string {
  return holiday.notes ? `${holiday.title} (${holiday.notes.toLowerCase()})` : holiday.title;
}

function bankHolidayOn(date: string, calendar: WorkingCalendar): string | undefined {
  const holiday = calendar.holidays.holidayOn(calendar.division, date);
  return holiday && holidayName(holiday);
}

// ---- days -------------------------------------------------------------------------------------

const isWeekend = (day: DateTime): boolean => day.weekday >= 6;

/**
 * Days are counted as plain calendar dates (held in UTC, where every day has 24 hours); only the
 * final instant is placed in London time. Stepping through London-zoned dates took twice as long.
 */
function calendarDay(date: string): DateTime {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid) throw new RangeError(`Not a calendar date: ${date}`);
  return day;
}

/** The London calendar date an instant falls on. */
function londonDayOf(instant: Date): DateTime {
  const { year, month, day } = DateTime.fromJSDate(instant, { zone: LONDON });
  return DateTime.fromObject({ year, month, day }, { zone: 'utc' });
}

const isoDate = (day: DateTime): string => day.toISODate() as string;
const londonTimeOn = (day: DateTime, hour: number, minute: number, second: number): Date =>
  DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute, second }, { zone: LONDON }).toJSDate();
const endOfLondonDay = (day: DateTime): Date => londonTimeOn(day, 23, 59, 59);

/** When a calendar date (YYYY-MM-DD) ends in London: 23:59:59, where deadlines counted in days end. */
export function endOfDayInLondon(date: string): Date {
  return endOfLondonDay(calendarDay(date));
}
const nineAmLondon = (day: DateTime): Date => londonTimeOn(day, 9, 0, 0);

function isWorking(day: DateTime, calendar: WorkingCalendar): boolean {
  return !isWeekend(day) && bankHolidayOn(isoDate(day), calendar) === undefined;
}

/** Is this calendar date (YYYY-MM-DD) a working day: a weekday that is not a bank holiday? */
export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  return isWorking(calendarDay(date), calendar);
}

/** Working days after the London day of `from` up to and including the London day of `to`. */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  const last = londonDayOf(to);
  let count = 0;
  for (let day = londonDayOf(from).plus({ days: 1 }); day <= last; day = day.plus({ days: 1 })) {
    if (isWorking(day, calendar)) count++;
  }
  return count;
}

// ---- periods ----------------------------------------------------------------------------------

const SUB_DAY_MILLISECONDS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000 } as const;
type SubDayUnit = keyof typeof SUB_DAY_MILLISECONDS;

function isSubDay(unit: Period['unit']): unit is SubDayUnit {
  return unit in SUB_DAY_MILLISECONDS;
}

function assertValidPeriod(period: Period): void {
  const wholeDays = isSubDay(period.unit) || Number.isInteger(period.amount);
  if (!Number.isFinite(period.amount) || period.amount < 0 || !wholeDays) {
    throw new RangeError(`Invalid period: ${period.amount} ${period.unit}`);
  }
}

/**
 * Counts `amount` working days after `start` (not counting `start` itself), recording the
 * days stepped over. A skipped Saturday or Sunday is recorded as a weekend day even when it is
 * also a bank holiday, so each skipped day appears once, under the reason that skipped it first.
 */
function countWorkingDays(start: DateTime, amount: number, calendar: WorkingCalendar) {
  const skippedWeekendDays: string[] = [];
  const skippedBankHolidays: BankHoliday[] = [];
  let day = start;
  for (let counted = 0; counted < amount; ) {
    day = day.plus({ days: 1 });
    const date = isoDate(day);
    const holiday = bankHolidayOn(date, calendar);
    if (isWeekend(day)) skippedWeekendDays.push(date);
    else if (holiday !== undefined) skippedBankHolidays.push({ date, name: holiday });
    else counted++;
  }
  return { lastDay: day, skippedWeekendDays, skippedBankHolidays };
}

/** Does counting from `first` to `last` reach a year the calendar data does not cover? */
function reachesProvisionalYears(first: DateTime, last: DateTime, calendar: WorkingCalendar): boolean {
  for (let year = first.year; year <= last.year; year++) {
    if (calendar.holidays.isProvisional(calendar.division, year)) return true;
  }
  return false;
}

/** When a period started at `start` ends, and which days it stepped over to get there. */
export function addPeriod(start: Date, period: Period, calendar: WorkingCalendar): PeriodEnd {
  assertValidPeriod(period);
  if (isSubDay(period.unit)) {
    const endsAt = new Date(start.getTime() + period.amount * SUB_DAY_MILLISECONDS[period.unit]);
    return { endsAt, skippedWeekendDays: [], skippedBankHolidays: [], provisional: false };
  }
  const startDay = londonDayOf(start);
  if (period.unit === 'calendar_days') {
    return { endsAt: endOfLondonDay(startDay.plus({ days: period.amount })), skippedWeekendDays: [], skippedBankHolidays: [], provisional: false };
  }
  const { lastDay, skippedWeekendDays, skippedBankHolidays } = countWorkingDays(startDay, period.amount, calendar);
  const provisional = reachesProvisionalYears(startDay.plus({ days: 1 }), lastDay, calendar);
  return { endsAt: endOfLondonDay(lastDay), skippedWeekendDays, skippedBankHolidays, provisional };
}

function workingDaysBefore(day: DateTime, amount: number, calendar: WorkingCalendar): DateTime {
  let reached = day;
  for (let counted = 0; counted < amount; ) {
    reached = reached.minus({ days: 1 });
    if (isWorking(reached, calendar)) counted++;
  }
  return reached;
}

/**
 * The instant a period before `due`: exact for sub-day units; for day units, 09:00 London on
 * the day reached, so a reminder arrives at the start of a working day rather than at midnight.
 */
export function subtractPeriod(due: Date, period: Period, calendar: WorkingCalendar): Date {
  assertValidPeriod(period);
  if (isSubDay(period.unit)) return new Date(due.getTime() - period.amount * SUB_DAY_MILLISECONDS[period.unit]);
  const dueDay = londonDayOf(due);
  if (period.unit === 'calendar_days') return nineAmLondon(dueDay.minus({ days: period.amount }));
  return nineAmLondon(workingDaysBefore(dueDay, period.amount, calendar));
}

// ---- deadlines and reminders ------------------------------------------------------------------

/** The calendar a policy counts on, in a version of the calendar data. */
export function workingCalendarOf(policy: Policy, holidays: BankHolidayCalendar): WorkingCalendar {
  return { division: policy.calendar, holidays };
}

/** The policy's reminder instants before `dueAt`, strictly between `after` and `dueAt`, ascending, once each. */
function remindersBetween(policy: Policy, holidays: BankHolidayCalendar, after: Date, dueAt: Date): Date[] {
  const calendar = workingCalendarOf(policy, holidays);
  const instants = policy.reminders
    .map((reminder) => subtractPeriod(dueAt, reminder, calendar).getTime())
    .filter((at) => at > after.getTime() && at < dueAt.getTime());
  return [...new Set(instants)].sort((a, b) => a - b).map((at) => new Date(at));
}

/** A deadline of the given kind started at `start` under a policy version, with its reminders and why it falls when it does. */
export function computeDeadline(args: { policy: Policy; policyVersion: number; kind: DeadlineKind; start: Date; holidays: BankHolidayCalendar }): ComputedDeadline {
  const { policy, policyVersion, kind, start, holidays } = args;
  const period = periodFor(policy, kind);
  const { endsAt, skippedWeekendDays, skippedBankHolidays, provisional } = addPeriod(start, period, workingCalendarOf(policy, holidays));
  return {
    dueAt: endsAt,
    reminderAts: remindersBetween(policy, holidays, start, endsAt),
    explanation: {
      policyVersion,
      start: start.toISOString(),
      period: { amount: period.amount, unit: period.unit },
      calendar: policy.calendar,
      calendarVersion: holidays.version,
      provisional,
      counting: COUNTING[period.unit],
      skippedWeekendDays,
      skippedBankHolidays,
      endsAt: endsAt.toISOString(),
    },
  };
}

/** The reminders still to send before an extended deadline: those after `now`. */
export function rescheduleReminders(args: { policy: Policy; dueAt: Date; now: Date; holidays: BankHolidayCalendar }): Date[] {
  return remindersBetween(args.policy, args.holidays, args.now, args.dueAt);
}

/** A running deadline counted again on a new version of the calendar. */
export interface RecalculatedDeadline extends ComputedDeadline {
  previousDueAt: Date;
  /** Bank holidays the deadline now skips that it did not, and those it no longer skips. */
  holidaysAdded: BankHoliday[];
  holidaysRemoved: BankHoliday[];
}

/**
 * A running deadline counted again from its start on another version of the calendar, or
 * undefined when it stays as it is: a deadline that ended, is already due, was set by hand (an
 * extension), would move into the past, or whose due instant, reminders still to come and
 * provisional mark all come out the same. The policy snapshot is the appeal's; only the calendar changes.
 */
export function recalculateDeadline(args: {
  deadline: Pick<DeadlineRecord, 'kind' | 'dueAt' | 'state' | 'reminderAts' | 'explanation' | 'extensions'>;
  policy: Policy;
  holidays: BankHolidayCalendar;
  now: Date;
}): RecalculatedDeadline | undefined {
  const { deadline, policy, holidays, now } = args;
  const previousDueAt = new Date(deadline.dueAt);
  if (deadline.state !== 'running' || deadline.extensions.length > 0 || previousDueAt <= now) return undefined;
  const computed = computeDeadline({ policy, policyVersion: deadline.explanation.policyVersion, kind: deadline.kind, start: new Date(deadline.explanation.start), holidays });
  if (computed.dueAt <= now) return undefined;
  const reminderAts = computed.reminderAts.filter((at) => at > now);
  const before = { dueAt: previousDueAt.getTime(), reminders: deadline.reminderAts.map(Date.parse).filter((at) => at > now.getTime()), provisional: deadline.explanation.provisional ?? false };
  const after = { dueAt: computed.dueAt.getTime(), reminders: reminderAts.map((at) => at.getTime()), provisional: computed.explanation.provisional };
  if (JSON.stringify(before) === JSON.stringify(after)) return undefined;
  const had = new Set(deadline.explanation.skippedBankHolidays.map((h) => h.date));
  const has = new Set(computed.explanation.skippedBankHolidays.map((h) => h.date));
  return {
    ...computed,
    reminderAts,
    previousDueAt,
    holidaysAdded: computed.explanation.skippedBankHolidays.filter((h) => !had.has(h.date)),
    holidaysRemoved: deadline.explanation.skippedBankHolidays.filter((h) => !has.has(h.date)),
  };
}
