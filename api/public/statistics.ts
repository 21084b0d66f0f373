/** Statistics per department and quarter, as JSON and CSV, with their data dictionary. */
import { publicStatistics } from '../../db/public-statistics';
import { DEADLINE_KINDS } from '../../domain/policy';
import { OUTCOMES, STATISTICS_COLUMNS, statisticsCsv } from '../../domain/public-statistics';
import { callsOf } from '../calls';
import { departmentCode, isoInstant, NoQuerySchema, z } from '../schemas';
import type { PublicDeps } from './register';

export const StatisticsQuerySchema = z.strictObject({
  department: departmentCode.optional().openapi({ description: "Only this department's figures (an unknown code answers none)" }),
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2199)
    .optional()
    .openapi({ type: 'integer', minimum: 2000, maximum: 2199, description: 'Only the quarters of this calendar year (those begun so far)' }),
});

const count = z.int().min(0);
const workingDays = z.number().min(0).nullable();

const figures = {
  received: count,
  ...(Object.fromEntries(OUTCOMES.map((outcome) => [outcome, count])) as Record<(typeof OUTCOMES)[number], typeof count>),
  pipeline: count.openapi({ description: 'Spin-outs cleared to go ahead: conceded + complied' }),
  open: count.openapi({ description: 'Open at the end of the quarter (now, for the quarter under way)' }),
  overdue: count.openapi({ description: 'Of those open, the ones with a missed deadline still unmet' }),
  decisions: count,
  medianWorkingDaysToDecision: workingDays,
  p90WorkingDaysToDecision: workingDays,
  deadlinesMissed: z.object(Object.fromEntries(DEADLINE_KINDS.map((kind) => [kind, count])) as Record<(typeof DEADLINE_KINDS)[number], typeof count>),
};

const quarter = z.string().regex(/^\d{4}-Q[1-4]$/).openapi({ example: '2026-Q4' });

const StatisticsSchema = z
  .object({
    generatedAt: isoInstant,
    department: z.string().nullable(),
    year: z.int().nullable(),
    items: z
      .array(z.object({ quarter, department: z.string(), name: z.string(), ...figures }).openapi('DepartmentQuarterStatistics'))
      .openapi({ description: 'One per department and quarter with anything to count, oldest quarter first' }),
    totals: z
      .array(
        z
          .object({ quarter, startsAt: isoInstant, endsAt: isoInstant, complete: z.boolean(), departments: z.array(z.string()), ...figures })
          .openapi('QuarterStatistics'),
      )
      .openapi({ description: 'One per quarter, across every department listed in it' }),
  })
  .openapi('PublicStatistics', { description: 'Aggregates only: no appeal, person or party is named' });

const DictionarySchema = z
  .object({
    items: z.array(
      z
        .object({ column: z.string(), field: z.string(), title: z.string(), unit: z.string(), meaning: z.string(), counting: z.string() })
        .openapi('StatisticsColumn'),
    ),
  })
  .openapi('StatisticsDictionary');

const CSV_FILE = 'mutuals-appeals-statistics.csv';

const call = callsOf<PublicDeps>();
const common = { method: 'get', tag: 'Public register', roles: 'anyone', problems: [429, 503] } as const;
const FIGURES = 'Appeals received and their outcomes, open and overdue appeals, working days to decision and deadlines missed, per department and calendar quarter (UK time).';

export const statisticsCalls = [
  call({
    ...common,
    path: '/v1/public/statistics',
    operationId: 'publicStatistics',
    summary: 'Statistics per department and quarter, with totals',
    description: `${FIGURES} What each figure means and how it is counted: GET /v1/public/statistics/dictionary.`,
    request: { query: StatisticsQuerySchema },
    success: { status: 200, description: 'The statistics', schema: StatisticsSchema },
    handle: async ({ query }, { dataSource }) => ({ body: await publicStatistics(dataSource, query) }),
  }),
  call({
    ...common,
    path: '/v1/public/statistics.csv',
    operationId: 'publicStatisticsCsv',
    summary: 'The statistics as CSV, a row per department and quarter',
    description: `${FIGURES} RFC 4180, UTF-8, a header row; the columns are described by GET /v1/public/statistics/dictionary.`,
    request: { query: StatisticsQuerySchema },
    success: {
      status: 200,
      description: 'The CSV',
      schema: z.string(),
      contentType: 'text/csv',
      headers: { 'Content-Disposition': `attachment; filename="${CSV_FILE}"` },
    },
    async handle({ query }, { dataSource }) {
      const { items } = await publicStatistics(dataSource, query);
      return {
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${CSV_FILE}"` },
        body: statisticsCsv(items),
      };
    },
  }),
  call({
    ...common,
    path: '/v1/public/statistics/dictionary',
    operationId: 'publicStatisticsDictionary',
    summary: 'The data dictionary: each column of the CSV and field of the JSON, its meaning, unit and how it is counted',
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'The data dictionary', schema: DictionarySchema },
    handle: () => ({ body: { items: STATISTICS_COLUMNS } }),
  }),
];
