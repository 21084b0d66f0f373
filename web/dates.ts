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
