import type { DataSource } from 'typeorm';
import { summaryReport, type SummaryReport } from '../../db/reports';
import type { Role } from '../../domain/appeal';
import { assertRole } from '../auth/access';
import type { Caller } from '../context';

/** Who may read the reports: the API's handler and the pages check the same. */
export const REPORT_ROLES = ['caseworker', 'admin'] as const satisfies readonly Role[];

/** The reports, for the API and the pages alike. */
export class ReportService {
  constructor(private readonly dataSource: DataSource) {}

  async summary(caller: Caller, now = new Date()): Promise<SummaryReport> {
    assertRole(caller, REPORT_ROLES);
    return summaryReport(this.dataSource, now);
  }
}
