import { CRITERIA, DECISION_OUTCOMES, MAX_SCORE } from '../../domain/decision';
import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { DEADLINE_KINDS } from '../../domain/policy';
import { GROUNDS_OF_APPEAL } from '../../workflows/shared';
import { appealId, calendarDate, departmentCode, email, instant, text, z } from '../schemas';

export const AppealSubmissionSchema = z
  .strictObject({
    department: departmentCode,
    parentBody: z.strictObject({ name: text(200), managerName: text(200), managerEmail: email }),
    appellant: z.strictObject({ name: text(200), email }),
    proposedMutual: z.strictObject({
      name: text(200),
      service: text(500),
      staffCount: z.int().min(1).max(1_000_000),
      annualTurnoverPence: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    }),
    groundsOfAppeal: z.enum(GROUNDS_OF_APPEAL),
    requestSubmittedOn: calendarDate,
    businessCaseSummary: text(20_000),
  })
  .openapi('AppealSubmission');

export const ManagerResponseSchema = z
  .strictObject({ position: z.enum(['concede', 'contest']), statement: text(20_000) })
  .openapi('ManagerResponse');

export const ArbiterAssignmentSchema = z.strictObject({ arbiterId: text(200) }).openapi('ArbiterAssignment');

export const HearingScheduleSchema = z
  .strictObject({ scheduledFor: instant, location: text(500) })
  .openapi('HearingSchedule');

export const HearingOutcomeSchema = z
  .strictObject({
    outcome: z.enum(['held', 'adjourned']),
    rescheduledFor: instant.optional(),
    notes: text(20_000).optional(),
  })
  .refine((body) => body.outcome !== 'adjourned' || body.rescheduledFor !== undefined, {
    message: 'an adjourned hearing needs rescheduledFor',
    path: ['rescheduledFor'],
  })
  .openapi('HearingOutcome');

const score = z.int().min(0).max(MAX_SCORE);
export const AssessmentSchema = z.strictObject(
  Object.fromEntries(CRITERIA.map((criterion) => [criterion, score])) as Record<(typeof CRITERIA)[number], typeof score>,
);

export const DecisionSchema = z
  .strictObject({ outcome: z.enum(DECISION_OUTCOMES), assessment: AssessmentSchema, reasons: text(50_000) })
  .openapi('Decision');

export const ComplianceSchema = z.strictObject({ statement: text(20_000) }).openapi('ComplianceConfirmation');
export const WithdrawalSchema = z.strictObject({ reason: text(20_000) }).openapi('Withdrawal');
export const ExtensionSchema = z.strictObject({ until: instant, reason: text(20_000) }).openapi('DeadlineExtension');

export const AppealParamsSchema = z.strictObject({ id: appealId });
export const ExtensionParamsSchema = z.strictObject({ id: appealId, kind: z.enum(DEADLINE_KINDS) });

export const AppealListQuerySchema = z.strictObject({
  status: z.enum(APPEAL_STATUSES).optional(),
  department: departmentCode.optional(),
  arbiterId: text(200).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: text(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
