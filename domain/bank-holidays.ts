/**
 * UK bank holidays: GOV.UK's published list (https://www.gov.uk/bank-holidays.json) as data, the
 * standing rules for the years the list does not cover, and a calendar that answers from one or
 * the other. Pure: no I/O, safe to import from workflow code.
 */
import { CALENDARS, type CalendarName } from './policy';

export interface BankHolidayEvent {
  title: string;
  date: string;
  notes: string;
  bunting: boolean;
}

export type BankHolidaysDocument = Record<CalendarName, { division: CalendarName; events: BankHolidayEvent[] }>;

export interface HolidayChange {
  division: CalendarName;
  date: string;
  change: 'added' | 'removed' | 'renamed';
  title: string;
  previousTitle?: string;
}

const SUBSTITUTE_DAY = 'Substitute day';
const MAX_TEXT = 200;
const MAX_PROBLEMS = 50;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Dates as day numbers (days since 1970-01-01), so the rules are integer arithmetic.

const DAY_MS = 86_400_000;

/** setUTCFullYear, unlike Date.UTC, leaves years below 100 as they are. */
function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / DAY_MS;
}

const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7; // 0 is Sunday
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;

function firstMonday(year: number, month: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0);
  return last - ((weekday(last) + 6) % 7);
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return dayNumber(year, Math.floor(n / 31), (n % 31) + 1);
}

function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && isoDate(dayNumber(year, month, day)) === value;
}

// The standing rules: the Banking and Financial Dealings Act 1971 and the proclamations made
// every year to the same pattern, in GOV.UK's titles.

const NEW_YEAR = 'New Year’s Day';
const SECOND_JANUARY = '2nd January';
const GOOD_FRIDAY = 'Good Friday';
const BATTLE_OF_THE_BOYNE = 'Battle of the Boyne (Orangemen’s Day)';
const NO_BUNTING = new Set([GOOD_FRIDAY, BATTLE_OF_THE_BOYNE]);

interface Rule {
  title: string;
  nominal: (year: number) => number;
  /** Taken on the first free weekday after this holiday, wherever that landed. */
  follows?: string;
}

const on = (title: string, month: number, day: number, follows?: string): Rule => ({
  title,
  nominal: (year) => dayNumber(year, month, day),
  follows,
});

const newYear = on(NEW_YEAR, 1, 1);
const goodFriday: Rule = { title: GOOD_FRIDAY, nominal: (year) => easterSunday(year) - 2 };
const easterMonday: Rule = { title: 'Easter Monday', nominal: (year) => easterSunday(year) + 1 };
const earlyMay: Rule = { title: 'Early May bank holiday', nominal: (year) => firstMonday(year, 5) };
const spring: Rule = { title: 'Spring bank holiday', nominal: (year) => lastMonday(year, 5) };
const christmas = on('Christmas Day', 12, 25);
const boxingDay = on('Boxing Day', 12, 26);
const ENGLAND_AND_WALES: Rule[] = [
  newYear,
  goodFriday,
  easterMonday,
  earlyMay,
  spring,
  { title: 'Summer bank holiday', nominal: (year) => lastMonday(year, 8) },
  christmas,
  boxingDay,
];

const RULES: Record<CalendarName, Rule[]> = {
  'england-and-wales': ENGLAND_AND_WALES,
  scotland: [
    newYear,
    // GOV.UK keeps New Year's Day first: on a Sunday it takes Monday 2nd and 2nd January moves to
    // Tuesday 3rd (whereas Christmas on a Sunday moves past Boxing Day's Monday to Tuesday 27th).
    on(SECOND_JANUARY, 1, 2, NEW_YEAR),
    goodFriday,
    earlyMay,
    spring,
    { title: 'Summer bank holiday', nominal: (year) => firstMonday(year, 8) },
    on('St Andrew’s Day', 11, 30),
    christmas,
    boxingDay,
  ],
  'northern-ireland': [...ENGLAND_AND_WALES, on('St Patrick’s Day', 3, 17), on(BATTLE_OF_THE_BOYNE, 7, 12)],
};

/** A holiday on a weekend (or on another holiday) moves to the next weekday not already a holiday. */
function placeHolidays(rules: Rule[], year: number): BankHolidayEvent[] {
  const byDay = new Map<number, BankHolidayEvent>();
  const dayOf = new Map<string, number>();
  const nextFreeWeekday = (from: number): number => {
    let day = from;
    while (isWeekend(day) || byDay.has(day)) day += 1;
    return day;
  };
  const place = (rule: Rule, nominal: number, day: number): void => {
    const notes = day === nominal ? '' : SUBSTITUTE_DAY;
    byDay.set(day, { title: rule.title, date: isoDate(day), notes, bunting: !NO_BUNTING.has(rule.title) });
    dayOf.set(rule.title, day);
  };

  const displaced: { rule: Rule; nominal: number }[] = [];
  for (const rule of rules.filter((each) => !each.follows)) {
    const nominal = rule.nominal(year);
    if (isWeekend(nominal) || byDay.has(nominal)) displaced.push({ rule, nominal });
    else place(rule, nominal, nominal);
  }
  displaced.sort((a, b) => a.nominal - b.nominal);
  for (const { rule, nominal } of displaced) place(rule, nominal, nextFreeWeekday(nominal));
  for (const rule of rules) {
    const after = rule.follows === undefined ? undefined : dayOf.get(rule.follows);
    if (after !== undefined) place(rule, rule.nominal(year), nextFreeWeekday(after + 1));
  }
  return [...byDay.values()].sort(byDate);
}

const byDate = (a: { date: string }, b: { date: string }): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** The bank holidays the standing rules give for a division and year (no one-off proclamations), sorted by date; substitute days titled as GOV.UK does with notes "Substitute day". */
export function standardBankHolidays(division: CalendarName, year: number): BankHolidayEvent[] {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`not a four-digit year: ${year}`);
  return placeHolidays(rulesOf(division), year);
}

function rulesOf(division: CalendarName): Rule[] {
  if (!Object.hasOwn(RULES, division)) throw new RangeError(`not a bank holiday division: ${String(division)}`);
  return RULES[division];
}

// Reading GOV.UK's document.

type Problems = string[];
type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (fields: Fields, name: string): unknown => (Object.hasOwn(fields, name) ? fields[name] : undefined);
const shortName = (name: string): string => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
const isText = (value: unknown, nonEmpty: boolean): value is string =>
  typeof value === 'string' && value.length <= MAX_TEXT && (!nonEmpty || value.trim() !== '');

function readEvent(value: unknown, at: string, problems: Problems): BankHolidayEvent | undefined {
  if (!isFields(value)) {
    problems.push(`${at}: expected an object with title, date, notes and bunting`);
    return undefined;
  }
  const [title, date, notes, bunting] = ['title', 'date', 'notes', 'bunting'].map((name) => field(value, name));
  const before = problems.length;
  if (!isText(title, true)) problems.push(`${at}.title: expected a non-empty string of at most ${MAX_TEXT} characters`);
  if (typeof date !== 'string' || !isCalendarDate(date)) problems.push(`${at}.date: not a calendar date (YYYY-MM-DD)`);
  if (!isText(notes, false)) problems.push(`${at}.notes: expected a string of at most ${MAX_TEXT} characters`);
  if (typeof bunting !== 'boolean') problems.push(`${at}.bunting: expected true or false`);
  if (problems.length > before) return undefined;
  return { title, date, notes, bunting } as BankHolidayEvent;
}

function readDivision(input: Fields, division: CalendarName, problems: Problems): BankHolidayEvent[] {
  if (!Object.hasOwn(input, division)) {
    problems.push(`${division}: missing`);
    return [];
  }
  const value = input[division];
  if (!isFields(value)) {
    problems.push(`${division}: expected an object with division and events`);
    return [];
  }
  if (field(value, 'division') !== division) problems.push(`${division}.division: expected "${division}"`);
  const events = field(value, 'events');
  if (!Array.isArray(events)) {
    problems.push(`${division}.events: expected an array`);
    return [];
  }
  const read: BankHolidayEvent[] = [];
  const indexOfDate = new Map<string, number>();
  for (let index = 0; index < events.length && problems.length <= MAX_PROBLEMS; index += 1) {
    const at = `${division}.events[${index}]`;
    const event = readEvent(events[index], at, problems);
    if (!event) continue;
    const earlier = indexOfDate.get(event.date);
    if (earlier !== undefined) problems.push(`${at}.date: ${event.date} is already events[${earlier}]`);
    else indexOfDate.set(event.date, index);
    read.push(event);
  }
  return read.sort(byDate);
}

/** Validates a GOV.UK bank-holidays.json document: every division present with `division` equal to its key, each event's date a real YYYY-MM-DD, title a non-empty string (at most 200 chars), notes a string (at most 200), bunting a boolean, no date twice in a division; unknown extra divisions are a problem too. Returns the document with events sorted by date, or the list of problems, each naming where (e.g. "scotland.events[3].date: not a calendar date"). Never throws on any input (null, arrays, strings, huge objects). */
export function parseBankHolidays(
  input: unknown,
): { ok: true; document: BankHolidaysDocument } | { ok: false; problems: string[] } {
  if (!isFields(input)) return { ok: false, problems: ['document: expected an object of divisions'] };
  const problems: Problems = [];
  for (const name of Object.keys(input)) {
    if (!(CALENDARS as readonly string[]).includes(name)) problems.push(`${shortName(name)}: unknown division`);
    if (problems.length > MAX_PROBLEMS) break;
  }
  const document = {} as BankHolidaysDocument;
  for (const division of CALENDARS) {
    document[division] = { division, events: readDivision(input, division, problems) };
  }
  if (problems.length === 0) return { ok: true, document };
  if (problems.length <= MAX_PROBLEMS) return { ok: false, problems };
  return { ok: false, problems: [...problems.slice(0, MAX_PROBLEMS), '…and more problems not listed'] };
}

/** What changed from one document to the next, sorted by date then division. */
export function diffBankHolidays(before: BankHolidaysDocument, after: BankHolidaysDocument): HolidayChange[] {
  const changes = CALENDARS.flatMap((division) =>
    diffDivision(division, titlesByDate(before[division].events), titlesByDate(after[division].events)),
  );
  const order = (division: CalendarName): number => CALENDARS.indexOf(division);
  return changes.sort((a, b) => byDate(a, b) || order(a.division) - order(b.division));
}

const titlesByDate = (events: BankHolidayEvent[]): Map<string, string> =>
  new Map(events.map((event) => [event.date, event.title]));

function diffDivision(division: CalendarName, before: Map<string, string>, after: Map<string, string>): HolidayChange[] {
  const changes: HolidayChange[] = [];
  for (const [date, title] of after) {
    const previousTitle = before.get(date);
    if (previousTitle === undefined) changes.push({ division, date, change: 'added', title });
    else if (previousTitle !== title) changes.push({ division, date, change: 'renamed', title, previousTitle });
  }
  for (const [date, title] of before) {
    if (!after.has(date)) changes.push({ division, date, change: 'removed', title });
  }
  return changes;
}

// The calendar a deadline is counted on.

/** A bank holiday as the calendar answers it: `notes` says "Substitute day" on a substitute day. */
export interface Holiday {
  title: string;
  notes: string;
  provisional: boolean;
}

interface HolidayYear {
  byDate: Map<string, Holiday>;
  list: (Holiday & { date: string })[];
}

interface DivisionCalendar {
  first: number;
  last: number;
  years: Map<number, HolidayYear>;
  /** Dates of years not published yet: holidays proclaimed ahead of their year's list. */
  proclaimed: Map<number, BankHolidayEvent[]>;
  ruleYears: Map<number, HolidayYear>;
}

const NO_HOLIDAYS: HolidayYear = { byDate: new Map(), list: [] };

function holidayYear(events: BankHolidayEvent[], provisional: boolean): HolidayYear {
  const list = events.map(({ date, title, notes }) => Object.freeze({ date, title, notes, provisional }));
  const byDate = new Map(list.map(({ date, title, notes }) => [date, Object.freeze({ title, notes, provisional })]));
  return { byDate, list };
}

/**
 * A year counts as published when the data holds at least half the holidays the rules give it:
 * a year's list is published whole, while a holiday proclaimed before its year's list is one or
 * two dates. An unpublished year is counted on the rules, with the data's own dates added.
 */
function isPublished(division: CalendarName, year: number, events: BankHolidayEvent[]): boolean {
  return events.length * 2 >= standardBankHolidays(division, year).length;
}

function divisionCalendar(division: CalendarName, events: BankHolidayEvent[]): DivisionCalendar {
  const eventsByYear = new Map<number, BankHolidayEvent[]>();
  for (const event of [...events].sort(byDate)) {
    const year = Number(event.date.slice(0, 4));
    const ofYear = eventsByYear.get(year) ?? [];
    ofYear.push(event);
    eventsByYear.set(year, ofYear);
  }
  const years = new Map<number, HolidayYear>();
  const proclaimed = new Map<number, BankHolidayEvent[]>();
  for (const [year, ofYear] of eventsByYear) {
    if (isPublished(division, year, ofYear)) years.set(year, holidayYear(ofYear, false));
    else proclaimed.set(year, ofYear);
  }
  const covered = [...years.keys()];
  return { first: Math.min(...covered), last: Math.max(...covered), years, proclaimed, ruleYears: new Map() };
}

/** The rules' holidays of a year with the data's own dates of it (a proclamation wins on its date). */
function rulesWith(division: CalendarName, year: number, proclaimed: BankHolidayEvent[]): BankHolidayEvent[] {
  const onDate = new Map(standardBankHolidays(division, year).map((event) => [event.date, event]));
  for (const event of proclaimed) onDate.set(event.date, event);
  return [...onDate.values()].sort(byDate);
}

function yearOfDate(date: string): number {
  if (!ISO_DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return Number(date.slice(0, 4));
}

/** One version of the calendar: the document's holidays, and the standard rules for the years it does not cover. */
export class BankHolidayCalendar {
  private readonly divisions: Map<CalendarName, DivisionCalendar>;

  constructor(
    readonly version: number,
    readonly document: BankHolidaysDocument,
  ) {
    this.divisions = new Map(CALENDARS.map((division) => [division, divisionCalendar(division, document[division].events)]));
  }

  /** First and last published year of the division's data (see isPublished); a division with none: { first: Infinity, last: -Infinity }. */
  yearsCovered(division: CalendarName): { first: number; last: number } {
    const { first, last } = this.division(division);
    return { first, last };
  }

  /** True when the year's list is not published in the data (see isPublished), so the rules answer, with any date proclaimed for it. */
  isProvisional(division: CalendarName, year: number): boolean {
    return !this.division(division).years.has(year);
  }

  /** The bank holiday on a date (YYYY-MM-DD), from the data, or from the rules for a year the data does not cover. */
  holidayOn(division: CalendarName, date: string): Holiday | undefined {
    return this.year(division, yearOfDate(date)).byDate.get(date);
  }

  /** Every holiday of a year, as holidayOn sees them. */
  holidaysIn(division: CalendarName, year: number): (Holiday & { date: string })[] {
    return [...this.year(division, year).list];
  }

  private year(division: CalendarName, year: number): HolidayYear {
    const calendar = this.division(division);
    if (!this.isProvisional(division, year)) return calendar.years.get(year) ?? NO_HOLIDAYS;
    let fromRules = calendar.ruleYears.get(year);
    if (!fromRules) {
      fromRules = holidayYear(rulesWith(division, year, calendar.proclaimed.get(year) ?? []), true);
      calendar.ruleYears.set(year, fromRules);
    }
    return fromRules;
  }

  private division(division: CalendarName): DivisionCalendar {
    const calendar = this.divisions.get(division);
    if (!calendar) throw new RangeError(`not a bank holiday division: ${String(division)}`);
    return calendar;
  }
}
