import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { DEADLINE_KINDS } from '../../domain/policy';
import { isoInstant, z } from '../schemas';

const counts = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((key) => [key, z.int().min(0)])) as Record<K, z.ZodInt>);

const figures = {
  total: z.int().min(0),
  byStatus: counts(APPEAL_STATUSES).openapi({ description: 'Appeals in each status' }),
  decisions: z.int().min(0),
  overrules: z.int().min(0),
  overruleRate: z.number().min(0).max(1).nullable().openapi({ description: 'overrules / decisions; null before any decision' }),
  medianWorkingDaysToDecision: z
    .number()
    .min(0)
    .nullable()
    .openapi({ description: "Median working days from submission to decision, in each appeal's calendar; null before any decision" }),
  deadlinesMissed: counts(DEADLINE_KINDS).openapi({ description: 'Deadlines missed, by kind' }),
};

export const SummaryReportSchema = z
  .object({
    generatedAt: isoInstant,
    items: z.array(z.object({ department: z.string(), name: z.string(), ...figures }).openapi('DepartmentSummary')),
    totals: z.object(figures).openapi('SummaryFigures'),
  })
  .openapi('SummaryReport');
