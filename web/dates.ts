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
 * `name-time` field (HH:MM, 24-hour clock) of forms that ask for a time too.
 */
export interface DateParts {
  day: string;
  month: string;
  year: string;
  time: string;
}

export function datePartsOf(body: Record<string, unknown>, name: string): DateParts {
  const part = (suffix: string) => (typeof body[`${name}-${suffix}`] === 'string' ? (body[`${name}-${suffix}`] as string).trim() : '');
  return { day: part('day'), month: part('month'), year: part('year'), time: part('time') };
}

export const isBlankDate = ({ day, month, year }: DateParts): boolean => !day && !month && !year;

/**
 * The date the parts name as YYYY-MM-DD, for the API's schema to judge: numbers are padded, anything
 * else is passed on as typed (so the schema refuses it); undefined when nothing was typed.
 */
export function isoDateOf(parts: DateParts): string | undefined {
  if (isBlankDate(parts)) return undefined;
  const { day, month, year } = parts;
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p))) return `${year}-${month}-${day}`;
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * The instant London's clocks show at the parts' date and time, with its offset
 * (2027-06-01T10:00:00.000+01:00); what was typed, without an offset, when it is no real date and time.
 */
export function londonInstantOf(parts: DateParts): string | undefined {
  const date = isoDateOf(parts);
  if (date === undefined && !parts.time) return undefined;
  const time = /^\d{1,2}[:.]\d{2}$/.test(parts.time) ? parts.time.replace('.', ':').padStart(5, '0') : parts.time;
  const instant = DateTime.fromISO(`${date ?? ''}T${time}`, { zone: LONDON });
  return instant.isValid ? instant.toISO() : `${date ?? ''}T${time}`;
}

/** The end of the parts' day in London (23:59:59), as the engine's day-counted deadlines end; what was typed when it is no real date. */
export function endOfLondonDayOf(parts: DateParts): string | undefined {
  const date = isoDateOf(parts);
  if (date === undefined) return undefined;
  return DateTime.fromISO(date).isValid ? endOfDayInLondon(date).toISOString() : date;
}

/** The parts a date input shows for an instant or a date, in London's calendar (and clock). */
export function datePartsFor(value: string | Date): DateParts {
  const t = london(value);
  return { day: String(t.day), month: String(t.month), year: String(t.year), time: t.toFormat('HH:mm') };
}

/**
 * A date and time as a person in the UK types them (day, month, year; "14:30", "9.05", "2pm",
 * "2:30pm") as the instant it names in London, ISO 8601 in UTC; undefined when it names no moment
 * there: an impossible date or time, or a time the clocks skip in spring. Of the hour the clocks
 * repeat in autumn, the first.
 */
export function londonInstant(typed: { day?: unknown; month?: unknown; year?: unknown; time?: unknown }): string | undefined {
  const [day, month, year] = [typed.day, typed.month, typed.year].map((part) => (typeof part === 'string' && /^\s*\d{1,4}\s*$/.test(part) ? Number(part) : NaN));
  const time = typeof typed.time === 'string' ? clockTime(typed.time) : undefined;
  if (!time || ![day, month, year].every(Number.isInteger) || year < 1000) return undefined;
  const moment = DateTime.fromObject({ year, month, day, hour: time.hour, minute: time.minute }, { zone: LONDON });
  const named = (candidate: DateTime) => candidate.isValid && candidate.day === day && candidate.hour === time.hour && candidate.minute === time.minute;
  if (!named(moment)) return undefined;
  const hourBefore = moment.minus({ hours: 1 });
  return (named(hourBefore) ? hourBefore : moment).toUTC().toISO({ suppressMilliseconds: true }) ?? undefined;
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
