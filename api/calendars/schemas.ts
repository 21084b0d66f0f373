import { CALENDARS } from '../../domain/policy';
import { calendarDate, isoDate, isoInstant, prose, text, z } from '../schemas';

const division = z.enum(CALENDARS).openapi({ description: 'A division of GOV.UK bank-holidays.json' });

export const BankHolidayEventSchema = z
  .object({
    title: z.string().openapi({ example: 'World Cup bank holiday' }),
    date: isoDate,
    notes: z.string().openapi({ description: '"Substitute day" on a substitute day, else empty' }),
    bunting: z.boolean(),
  })
  .openapi('BankHoliday');

const DivisionHolidaysSchema = z.object({ division, events: z.array(BankHolidayEventSchema) });

export const BankHolidaysDocumentSchema = z
  .object({ 'england-and-wales': DivisionHolidaysSchema, scotland: DivisionHolidaysSchema, 'northern-ireland': DivisionHolidaysSchema })
  .openapi('BankHolidaysDocument', { description: 'In the format of https://www.gov.uk/bank-holidays.json' });

/** GOV.UK's format, as imported. Its finer rules (no date twice, each division under its own name) are domain/bank-holidays.ts's: 422. */
const ImportedEventSchema = z.strictObject({ title: text(200), date: calendarDate, notes: z.string().max(200), bunting: z.boolean() });
const ImportedDivisionSchema = z.strictObject({ division, events: z.array(ImportedEventSchema).max(2000) });
const ImportedDocumentSchema = z.strictObject({
  'england-and-wales': ImportedDivisionSchema,
  scotland: ImportedDivisionSchema,
  'northern-ireland': ImportedDivisionSchema,
});

const reason = prose(500).openapi({ description: 'Why the calendar changes, e.g. the proclamation', example: 'Royal proclamation of 4 February 2026' });

export const CalendarReplacementSchema = z
  .strictObject({ reason, holidays: ImportedDocumentSchema })
  .openapi('CalendarReplacement');

export const ProclaimedHolidaySchema = z
  .strictObject({
    date: calendarDate,
    title: text(200),
    notes: z.string().max(200).optional(),
    bunting: z.boolean().optional(),
    reason,
  })
  .openapi('ProclaimedHoliday');

export const DivisionParamsSchema = z.strictObject({ division });
export const HolidayParamsSchema = z.strictObject({ division, date: calendarDate });
export const CancellationQuerySchema = z.strictObject({ reason });

const HolidayChangeSchema = z.object({
  division,
  date: isoDate,
  change: z.enum(['added', 'removed', 'renamed']),
  title: z.string(),
  previousTitle: z.string().optional(),
});

export const CalendarVersionSchema = z
  .object({
    version: z.int().min(1),
    changedAt: isoInstant,
    changedBy: z.string().openapi({ description: "The administrator's token subject ('seed' for the snapshot shipped with the engine)" }),
    reason: z.string(),
    changes: z.array(HolidayChangeSchema),
  })
  .openapi('CalendarVersion');

const years = z.object({ first: z.int(), last: z.int() }).nullable();

export const CalendarSchema = z
  .object({
    version: z.int().min(1).openapi({ description: 'The version in force: new deadlines are counted on it' }),
    holidays: BankHolidaysDocumentSchema,
    yearsCovered: z.object({ 'england-and-wales': years, scotland: years, 'northern-ireland': years }).openapi({
      description: 'The years the data covers; beyond them deadlines are counted on the standard rules and marked provisional',
    }),
    history: z.array(CalendarVersionSchema).openapi({ description: 'Every version, newest first' }),
  })
  .openapi('Calendar');

const DeadlineMoveSchema = z.object({
  appealId: z.uuid(),
  reference: z.string(),
  kind: z.enum(['managerResponse', 'hearing', 'decision', 'compliance']),
  previousDueAt: isoInstant,
  dueAt: isoInstant,
});

export const CalendarChangeSchema = z
  .object({
    version: CalendarVersionSchema,
    changed: z.boolean().openapi({ description: 'False when nothing changed: no version was made' }),
    movedDeadlines: z
      .object({ count: z.int().min(0), items: z.array(DeadlineMoveSchema) })
      .openapi({ description: 'The running deadlines the change moves (at most 1,000 listed). Each appeal moves its own, once, in the background' }),
  })
  .openapi('CalendarChange');
