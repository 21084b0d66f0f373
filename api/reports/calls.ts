/** The calls for reports. */
import { callsOf } from '../calls';
import { NoQuerySchema } from '../schemas';
import { SummaryReportSchema } from './schemas';
import { REPORT_ROLES, type ReportService } from './service';

const call = callsOf<ReportService>();

export const reportCalls = [
  call({
    method: 'get',
    path: '/v1/reports/summary',
    tag: 'Reports',
    operationId: 'summaryReport',
    summary: 'Appeals by department: counts by status, overrule rate, median working days to decision, deadlines missed',
    roles: REPORT_ROLES,
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'The summary, one item per department, and totals', schema: SummaryReportSchema },
    handle: async ({ caller }, reports) => ({ body: await reports.summary(caller) }),
  }),
];
