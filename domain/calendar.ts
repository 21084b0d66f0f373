/**
 * Deadline arithmetic: working days, bank holidays and the Europe/London wall clock.
 *
 * Heavy and not deterministic enough for workflow code (holiday data, time zone rules): only
 * activities import this module. The workflow receives the computed instants.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { periodFor, type CalendarName, type DeadlineKind, type Period, type Policy } from './policy';
import type { DeadlineExplanation } from './appeal';

const LONDON = 'Europe/London';

export interface BankHoliday {
  date: string;
  name: string;
}

export interface PeriodEnd {
  endsAt: Date;
  skippedWeekendDays: string[];
  skippedBankHolidays: BankHoliday[];
}

export interface ComputedDeadline {
  dueAt: Date;
  reminderAts: Date[];
  explanation: DeadlineExplanation;
}

// ---- bank holidays ----------------------------------------------------------------------------

const SUBDIVISION: Record<CalendarName, string> = {
  'england-and-wales': 'ENG',
  scotland: 'SCT',
  'northern-ireland': 'NIR',
};

const holidaysByCalendar = new Map<CalendarName, Holidays>();
const bankHolidaysByYear = new Map<string, Map<string, string>>();

function holidaysOf(calendar: CalendarName): Holidays {
  let holidays = holidaysByCalendar.get(calendar);
  if (!holidays) {
    holidays = new Holidays('GB', SUBDIVISION[calendar]);
    holidaysByCalendar.set(calendar, holidays);
  }
  return holidays;
}

/** The calendar's bank holidays in a year, by date (observances such as Mother's Day excluded). */
function bankHolidayNames(calendar: CalendarName, year: number): Map<string, string> {
  const key = `${calendar}:${year}`;
  let byDate = bankHolidaysByYear.get(key);
  if (!byDate) {
    byDate = new Map();
    for (const holiday of holidaysOf(calendar).getHolidays(year)) {
      if (holiday.type !== 'public' && holiday.type !== 'bank') continue;
      // `date` is the local date as 'YYYY-MM-DD hh:mm:ss'.
      const date = holiday.date.slice(0, 10);
      if (!byDate.has(date)) byDate.set(date, holiday.name);
    }
    bankHolidaysByYear.set(key, byDate);
  }
  return byDate;
}

export function bankHolidays(calendar: CalendarName, year: number): BankHoliday[] {
  return [...bankHolidayNames(calendar, year)].map(([date, name]) => ({ date, name }));
}

function bankHolidayOn(date: string, calendar: CalendarName): string | undefined {
  return bankHolidayNames(calendar, Number(date.slice(0, 4))).get(date);
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

function isWorking(day: DateTime, calendar: CalendarName): boolean {
  return !isWeekend(day) && bankHolidayOn(isoDate(day), calendar) === undefined;
}

/** Is this calendar date (YYYY-MM-DD) a working day: a weekday that is not a bank holiday? */
export function isWorkingDay(date: string, calendar: CalendarName): boolean {
  return isWorking(calendarDay(date), calendar);
}

/** Working days after the London day of `from` up to and including the London day of `to`. */
export function workingDaysBetween(from: Date, to: Date, calendar: CalendarName): number {
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
function countWorkingDays(start: DateTime, amount: number, calendar: CalendarName) {
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

/** When a period started at `start` ends, and which days it stepped over to get there. */
export function addPeriod(start: Date, period: Period, calendar: CalendarName): PeriodEnd {
  assertValidPeriod(period);
  if (isSubDay(period.unit)) {
    const endsAt = new Date(start.getTime() + period.amount * SUB_DAY_MILLISECONDS[period.unit]);
    return { endsAt, skippedWeekendDays: [], skippedBankHolidays: [] };
  }
  const startDay = londonDayOf(start);
  if (period.unit === 'calendar_days') {
    return { endsAt: endOfLondonDay(startDay.plus({ days: period.amount })), skippedWeekendDays: [], skippedBankHolidays: [] };
  }
  const { lastDay, skippedWeekendDays, skippedBankHolidays } = countWorkingDays(startDay, period.amount, calendar);
  return { endsAt: endOfLondonDay(lastDay), skippedWeekendDays, skippedBankHolidays };
}

function workingDaysBefore(day: DateTime, amount: number, calendar: CalendarName): DateTime {
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
export function subtractPeriod(due: Date, period: Period, calendar: CalendarName): Date {
  assertValidPeriod(period);
  if (isSubDay(period.unit)) return new Date(due.getTime() - period.amount * SUB_DAY_MILLISECONDS[period.unit]);
  const dueDay = londonDayOf(due);
  if (period.unit === 'calendar_days') return nineAmLondon(dueDay.minus({ days: period.amount }));
  return nineAmLondon(workingDaysBefore(dueDay, period.amount, calendar));
}

// ---- deadlines and reminders ------------------------------------------------------------------

/** The policy's reminder instants before `dueAt`, strictly between `after` and `dueAt`, ascending, once each. */
function remindersBetween(policy: Policy, after: Date, dueAt: Date): Date[] {
  const instants = policy.reminders
    .map((reminder) => subtractPeriod(dueAt, reminder, policy.calendar).getTime())
    .filter((at) => at > after.getTime() && at < dueAt.getTime());
  return [...new Set(instants)].sort((a, b) => a - b).map((at) => new Date(at));
}

/** A deadline of the given kind started at `start` under a policy version, with its reminders and why it falls when it does. */
export function computeDeadline(args: { policy: Policy; policyVersion: number; kind: DeadlineKind; start: Date }): ComputedDeadline {
  const { policy, policyVersion, kind, start } = args;
  const period = periodFor(policy, kind);
  const { endsAt, skippedWeekendDays, skippedBankHolidays } = addPeriod(start, period, policy.calendar);
  return {
    dueAt: endsAt,
    reminderAts: remindersBetween(policy, start, endsAt),
    explanation: {
      policyVersion,
      start: start.toISOString(),
      period: { amount: period.amount, unit: period.unit },
      calendar: policy.calendar,
      skippedWeekendDays,
      skippedBankHolidays,
      endsAt: endsAt.toISOString(),
    },
  };
}

/** The reminders still to send before an extended deadline: those after `now`. */
export function rescheduleReminders(args: { policy: Policy; dueAt: Date; now: Date }): Date[] {
  return remindersBetween(args.policy, args.now, args.dueAt);
}
