import { DateTime } from 'luxon';

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
