import { DateTime } from 'luxon';
import { endOfDayInLondon } from '../domain/calendar';

const LONDON = 'Europe/London';

/** An instant, or a YYYY-MM-DD date, as London's wall clock sees it. */
function london(value: string | Date): DateTime {
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: LONDON });
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: LONDON }) : DateTime.fromISO(value).setZone(LONDON);
}

/** GOV.UK style: 5 March 2027 */
export const ukDate = (value: string | Date): string => london(value).toFormat('d MMMM yyyy');
/** GOV.UK style: 11:59pm */
export const ukTime = (value: string | Date): string => london(value).toFormat('h:mma').toLowerCase();
/** GOV.UK style: 5 March 2027 at 11:59pm, in UK local time */
export const ukDateTime = (value: string | Date): string => `${ukDate(value)} at ${ukTime(value)}`;

// ---- date inputs ---------------------------------------------------------------------------------

/**
 * What a GOV.UK date input named `name` sends (`name-day`, `name-month`, `name-year`), and the
 * `name-time` field of forms that ask for a time too.
 */
export interface DateParts {
  day: string;
  month: string;
  year: string;
  time: string;
}

export function datePartsOf(fields: Record<string, unknown>, name: string): DateParts {
  const part = (suffix: string) => (typeof fields[`${name}-${suffix}`] === 'string' ? (fields[`${name}-${suffix}`] as string).trim() : '');
  return { day: part('day'), month: part('month'), year: part('year'), time: part('time') };
}

export const isBlankDate = ({ day, month, year }: DateParts): boolean => !day && !month && !year;

/** The parts a date input shows for an instant or a date, in London's calendar (and clock). */
export function datePartsFor(value: string | Date): DateParts {
  const t = london(value);
  return { day: String(t.day), month: String(t.month), year: String(t.year), time: t.toFormat('HH:mm') };
}

/** The fields of the date input `name` showing an instant or a date (`name-day`, …, `name-time`). */
export function dateFields(name: string, value: string | Date): Record<string, string> {
  return Object.fromEntries(Object.entries(datePartsFor(value)).map(([part, text]) => [`${name}-${part}`, text]));
}

/**
 * What a date input gives the API's schema to judge: undefined when nothing was typed (the schema
 * says it is missing); what `read` (londonDate, londonInstant, endOfLondonDay) makes of the parts;
 * or, when they name no such moment, the parts as typed, which no schema takes for a date.
 */
export function dateAnswer(parts: DateParts, read: (parts: DateParts) => string | undefined): string | undefined {
  if (isBlankDate(parts) && !parts.time) return undefined;
  return read(parts) ?? `${parts.day}/${parts.month}/${parts.year}${parts.time ? ` ${parts.time}` : ''}`;
}

/** The real date the parts name (day, month and a four-digit year), YYYY-MM-DD; undefined for none. */
export function londonDate(parts: DateParts): string | undefined {
  const day = calendarDay(parts);
  return day ? DateTime.fromObject(day, { zone: LONDON }).toISODate() ?? undefined : undefined;
}

/** The end of the parts' day in London (23:59:59), as the engine's day-counted deadlines end, ISO 8601 in UTC. */
export function endOfLondonDay(parts: DateParts): string | undefined {
  const date = londonDate(parts);
  return date ? endOfDayInLondon(date).toISOString() : undefined;
}

/**
 * A date and time as a person in the UK types them (day, month, year; "14:30", "9.05", "2pm",
 * "2:30pm") as the instant it names in London, ISO 8601 in UTC; undefined when it names no moment
 * there: an impossible date or time, or a time the clocks skip in spring. Of the hour the clocks
 * repeat in autumn, the first.
 */
export function londonInstant(parts: DateParts): string | undefined {
  const day = calendarDay(parts);
  const time = clockTime(parts.time);
  if (!day || !time) return undefined;
  const moment = DateTime.fromObject({ ...day, hour: time.hour, minute: time.minute }, { zone: LONDON });
  const named = (candidate: DateTime) => candidate.isValid && candidate.day === day.day && candidate.hour === time.hour && candidate.minute === time.minute;
  if (!named(moment)) return undefined;
  const hourBefore = moment.minus({ hours: 1 });
  return (named(hourBefore) ? hourBefore : moment).toUTC().toISO({ suppressMilliseconds: true }) ?? undefined;
}

/** The day, month and year typed, as numbers, when they name a real day of a four-digit year. */
function calendarDay(parts: DateParts): { year: number; month: number; day: number } | undefined {
  const [day, month, year] = [parts.day, parts.month, parts.year].map((part) => (/^\s*\d{1,4}\s*$/.test(part) ? Number(part) : NaN));
  if (![day, month, year].every(Number.isInteger) || year < 1000) return undefined;
  return DateTime.fromObject({ year, month, day }, { zone: LONDON }).isValid ? { year, month, day } : undefined;
}

/** "14:30", "9.05", "2pm", "2:30 pm", "12am" as hours and minutes of the 24-hour clock. */
function clockTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(text.trim());
  if (!match || (!match[2] && !match[3])) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const half = match[3]?.[0].toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'p' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}
