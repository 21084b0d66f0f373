import { CRITERIA, DECISION_OUTCOMES, MAX_SCORE } from '../../domain/decision';
import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { DEADLINE_KINDS } from '../../domain/policy';
import { DEADLINE_STATES, GROUNDS_OF_APPEAL, ROLES } from '../../domain/appeal';
import { DeadlineExplanationSchema, PolicyViewSchema } from '../departments/schemas';
import { appealId, calendarDate, departmentCode, email, instant, isoDate, isoInstant, prose, subject, text, z } from '../schemas';

// ---- requests ---------------------------------------------------------------------------------

const ParentBodySchema = z.strictObject({ name: text(200), managerName: text(200), managerEmail: email });
const AppellantSchema = z.strictObject({ name: text(200), email });
const ProposedMutualSchema = z.strictObject({
  name: text(200),
  service: text(500),
  staffCount: z.int().min(1).max(1_000_000),
  annualTurnoverPence: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** The appeal follows the request: requestSubmittedOn is never later than today in London. */
const londonToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const notInTheFuture = (date: string) => date <= londonToday.format(new Date());

export const AppealSubmissionSchema = z
  .strictObject({
    department: departmentCode,
    parentBody: ParentBodySchema,
    appellant: AppellantSchema,
    proposedMutual: ProposedMutualSchema,
    groundsOfAppeal: z.enum(GROUNDS_OF_APPEAL),
    requestSubmittedOn: calendarDate.refine(notInTheFuture, 'must not be in the future'),
    businessCaseSummary: prose(20_000),
  })
  .openapi('AppealSubmission');

export const ManagerResponseSchema = z
  .strictObject({ position: z.enum(['concede', 'contest']), statement: prose(20_000) })
  .openapi('ManagerResponse');

export const ArbiterAssignmentSchema = z.strictObject({ arbiterId: subject }).openapi('ArbiterAssignment');

export const HearingScheduleSchema = z
  .strictObject({ scheduledFor: instant, location: text(500) })
  .openapi('HearingSchedule');

export const HearingOutcomeSchema = z
  .strictObject({
    outcome: z.enum(['held', 'adjourned']),
    rescheduledFor: instant.optional().openapi({ description: 'Required when the hearing is adjourned.' }),
    notes: prose(20_000).optional(),
  })
  .refine((body) => body.outcome !== 'adjourned' || body.rescheduledFor !== undefined, {
    message: 'an adjourned hearing needs rescheduledFor',
    path: ['rescheduledFor'],
  })
  .openapi('HearingOutcome');

const score = z.int().min(0).max(MAX_SCORE);
export const AssessmentSchema = z
  .strictObject(Object.fromEntries(CRITERIA.map((criterion) => [criterion, score])) as Record<(typeof CRITERIA)[number], typeof score>)
  .openapi('Assessment', { description: `Scores of the business case, each 0-${MAX_SCORE}.` });

export const DecisionSchema = z
  .strictObject({ outcome: z.enum(DECISION_OUTCOMES), assessment: AssessmentSchema, reasons: prose(50_000) })
  .openapi('Decision');

export const ComplianceSchema = z.strictObject({ statement: prose(20_000) }).openapi('ComplianceConfirmation');
export const WithdrawalSchema = z.strictObject({ reason: prose(20_000) }).openapi('Withdrawal');
export const ExtensionSchema = z.strictObject({ until: instant, reason: prose(20_000) }).openapi('DeadlineExtension');

export const AppealParamsSchema = z.strictObject({ id: appealId });
export const ExtensionParamsSchema = z.strictObject({ id: appealId, kind: z.enum(DEADLINE_KINDS) });

export const MAX_PAGE = 100;

const listCursor = (description: string) =>
  z
    .string()
    .regex(/^[\w-]{1,500}$/, 'a cursor this API gave out')
    .optional()
    .openapi({ description });

export const AppealListQuerySchema = z.strictObject({
  status: z.enum(APPEAL_STATUSES).optional(),
  department: departmentCode.optional(),
  arbiterId: subject.optional(),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'true: only appeals with a missed deadline still unmet' }),
  q: text(200).optional().openapi({ description: "Part of the reference or of the proposed mutual's name, any case" }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(25).openapi({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 25 }),
  cursor: listCursor("The next page: the previous page's nextCursor"),
  before: listCursor("The page before: a page's previousCursor (not with cursor)"),
}).refine((query) => !(query.cursor && query.before), { message: 'give cursor or before, not both', path: ['before'] });
export type AppealListQuery = z.infer<typeof AppealListQuerySchema>;

// ---- responses --------------------------------------------------------------------------------

const HearingViewSchema = z
  .object({
    scheduledFor: isoInstant,
    location: z.string(),
    outcome: z.enum(['held', 'adjourned']).nullable(),
    notes: z.string().nullable(),
  })
  .openapi('Hearing');

const DecisionViewSchema = z
  .object({
    outcome: z.enum(DECISION_OUTCOMES),
    assessment: AssessmentSchema,
    reasons: z.string(),
    arbiterId: z.string(),
    decidedAt: isoInstant,
  })
  .openapi('RecordedDecision');

const DeadlineRecordSchema = z
  .object({
    kind: z.enum(DEADLINE_KINDS),
    dueAt: isoInstant,
    state: z.enum(DEADLINE_STATES),
    reminderAts: z.array(isoInstant),
    explanation: DeadlineExplanationSchema,
    extensions: z.array(z.object({ from: isoInstant, until: isoInstant, reason: z.string(), by: z.string(), at: isoInstant })),
  })
  .openapi('Deadline');

export const AppealViewSchema = z
  .object({
    id: z.uuid(),
    reference: z.string().regex(/^MUT-\d{4}-\d{6,}$/).openapi({ example: 'MUT-2026-000042' }),
    status: z.enum(APPEAL_STATUSES),
    department: z.string(),
    parentBody: z.object({ name: z.string(), managerName: z.string(), managerEmail: z.string() }),
    appellant: z.object({ name: z.string(), email: z.string() }),
    proposedMutual: z.object({ name: z.string(), service: z.string(), staffCount: z.int(), annualTurnoverPence: z.int() }),
    groundsOfAppeal: z.enum(GROUNDS_OF_APPEAL),
    requestSubmittedOn: isoDate,
    businessCaseSummary: z.string(),
    policyVersion: z.int(),
    managerDefaulted: z.boolean(),
    arbiterId: z.string().nullable(),
    hearing: HearingViewSchema.nullable(),
    decision: DecisionViewSchema.nullable(),
    deadlines: z.object({
      managerResponseDue: isoInstant.nullable(),
      hearingDue: isoInstant.nullable(),
      decisionDue: isoInstant.nullable(),
      complianceDue: isoInstant.nullable(),
    }),
    deadlineDetails: z.array(DeadlineRecordSchema),
    overdue: z.boolean(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .openapi('Appeal');

export const AppealPageSchema = z
  .object({
    items: z.array(AppealViewSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    previousCursor: z.string().nullable().openapi({ description: 'Pass as `before` for the page before; null on the first page' }),
  })
  .openapi('AppealPage');

export const TimelineSchema = z
  .object({
    items: z.array(
      z
        .object({
          seq: z.int().min(1),
          type: z.string(),
          actor: z.object({ sub: z.string(), role: z.enum([...ROLES, 'system']) }),
          at: isoInstant,
          data: z.record(z.string(), z.unknown()),
          hash: z.string().regex(/^[0-9a-f]{64}$/),
        })
        .openapi('TimelineEvent'),
    ),
    verified: z.boolean().openapi({ description: 'Whether the hash chain holds: false means an event was edited behind the API' }),
    brokenAtSeq: z.int().nullable().openapi({ description: 'The first event whose hash does not match, if any' }),
  })
  .openapi('Timeline');

export const NotificationsSchema = z
  .object({
    items: z.array(
      z
        .object({
          kind: z.string(),
          recipient: z.string(),
          dueAt: isoInstant.nullable(),
          status: z.string().openapi({ example: 'sent' }),
          sentAt: isoInstant.nullable(),
        })
        .openapi('Notification'),
    ),
  })
  .openapi('Notifications');

export const AppealPolicySchema = z
  .object({
    department: z.string(),
    policyVersion: z.int().min(1),
    policy: PolicyViewSchema,
  })
  .openapi('AppealPolicy', { description: 'The policy the appeal was opened under: its own copy, which later changes to the department\'s policy never touch' });
