import { CRITERIA, MAX_SCORE } from '../../domain/decision';
import { CALENDARS, DEADLINE_KINDS, PERIOD_UNITS } from '../../domain/policy';
import { departmentCode, isoDate, isoInstant, prose, text, z } from '../schemas';

/** The longest period of each unit: about a year (a deadline's explanation lists every day it skips). */
const MAX_AMOUNT: Record<(typeof PERIOD_UNITS)[number], number> = {
  working_days: 366,
  calendar_days: 366,
  hours: 366 * 24,
  minutes: 366 * 24 * 60,
  seconds: 366 * 24 * 3600,
};

const PeriodSchema = z
  .strictObject({ amount: z.int().min(1).max(MAX_AMOUNT.seconds), unit: z.enum(PERIOD_UNITS) })
  .refine((period) => period.amount <= MAX_AMOUNT[period.unit], {
    message: `at most ${MAX_AMOUNT.working_days} days, ${MAX_AMOUNT.hours} hours, ${MAX_AMOUNT.minutes} minutes or ${MAX_AMOUNT.seconds} seconds`,
    path: ['amount'],
  })
  .openapi('Period', {
    description: `At most about a year: ${MAX_AMOUNT.working_days} working or calendar days, ${MAX_AMOUNT.hours} hours, ${MAX_AMOUNT.minutes} minutes or ${MAX_AMOUNT.seconds} seconds`,
    example: { amount: 20, unit: 'working_days' },
  });

export const PolicySchema = z
  .strictObject({
    managerResponse: PeriodSchema,
    hearingWithin: PeriodSchema,
    decisionWithin: PeriodSchema,
    complianceWithin: PeriodSchema,
    reminders: z.array(PeriodSchema).max(10).openapi({ description: 'Periods before each deadline at which a reminder goes out' }),
    calendar: z.enum(CALENDARS),
    overruleMinimumEach: z.int().min(0).max(MAX_SCORE),
    overruleMinimumTotal: z.int().min(0).max(MAX_SCORE * CRITERIA.length),
  })
  .openapi('Policy');

export const DepartmentParamsSchema = z.strictObject({ code: departmentCode });

export const NewDepartmentSchema = z
  .strictObject({
    code: departmentCode,
    name: text(200),
    policy: PolicySchema.optional().openapi({ description: 'Defaults to the standard policy (20/30/10/30 working days, reminders 5 and 1 days before)' }),
  })
  .openapi('NewDepartment');

const PeriodViewSchema = z.object({ amount: z.number(), unit: z.enum(PERIOD_UNITS) });

export const PolicyViewSchema = z.object({
  managerResponse: PeriodViewSchema,
  hearingWithin: PeriodViewSchema,
  decisionWithin: PeriodViewSchema,
  complianceWithin: PeriodViewSchema,
  reminders: z.array(PeriodViewSchema),
  calendar: z.enum(CALENDARS),
  overruleMinimumEach: z.number(),
  overruleMinimumTotal: z.number(),
});

/** Why a deadline falls when it does: the policy version, period and calendar, and the days it skipped. */
export const DeadlineExplanationSchema = z
  .object({
    policyVersion: z.int(),
    start: isoInstant,
    period: PeriodViewSchema,
    calendar: z.enum(CALENDARS),
    calendarVersion: z.int().min(1).optional().openapi({ description: 'The version of the bank holiday calendar the days were counted on' }),
    provisional: z
      .boolean()
      .optional()
      .openapi({ description: 'True when the period reaches a year the calendar data does not cover yet: counted on the standard rules, and counted again when that year is imported' }),
    counting: z.string().optional().openapi({ description: 'How the days are counted' }),
    skippedWeekendDays: z.array(isoDate),
    skippedBankHolidays: z.array(z.object({ date: isoDate, name: z.string() })),
    endsAt: isoInstant,
  })
  .openapi({ description: 'Why the deadline falls when it does' });

export const DepartmentViewSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    policyVersion: z.int().min(1).openapi({ description: 'The version in force; appeals keep the version they were opened under' }),
    policy: PolicyViewSchema,
    guidance: z.string().openapi({ description: 'Guidance for parent bodies on supporting a request to spin out, in Markdown; published on the register' }),
  })
  .openapi('Department');

export const GuidanceSchema = z
  .strictObject({ guidance: prose(20_000).openapi({ description: 'Markdown; HTML in it is shown as text, never run' }) })
  .openapi('Guidance');

export const DepartmentsSchema = z.object({ items: z.array(DepartmentViewSchema) }).openapi('Departments');

export const PolicyPreviewSchema = z
  .object({
    department: z.string(),
    policyVersion: z.int().min(1).openapi({ description: 'The version the policy would get' }),
    submittedAt: isoInstant.openapi({ description: 'The instant previewed: now' }),
    deadlines: z
      .array(
        z.object({
          kind: z.enum(DEADLINE_KINDS),
          dueAt: isoInstant,
          reminderAts: z.array(isoInstant),
          explanation: DeadlineExplanationSchema,
        }),
      )
      .openapi({ description: "The manager's response deadline of an appeal submitted now; each later deadline as if its stage began now" }),
  })
  .openapi('PolicyPreview');
