import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentCall } from '../openapi';
import { NoQuerySchema } from '../schemas';
import { SummaryReportSchema } from './schemas';

export function registerReportCalls(registry: OpenAPIRegistry): void {
  documentCall(registry, {
    method: 'get',
    path: '/v1/reports/summary',
    tag: 'Reports',
    operationId: 'summaryReport',
    summary: 'Appeals by department: counts by status, overrule rate, median working days to decision, deadlines missed',
    who: ['caseworker', 'admin'],
    request: { query: NoQuerySchema },
    success: { status: 200, description: 'The summary, one item per department, and totals', schema: SummaryReportSchema },
    problems: [400, 403],
  });
}
