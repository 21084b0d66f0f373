import type { DataSource } from 'typeorm';
import { workingDaysBetween } from '../domain/calendar';
import { calendarInForce } from './calendars';
import { APPEAL_STATUSES, type AppealStatus } from '../domain/lifecycle';
import { DEADLINE_KINDS, type CalendarName, type DeadlineKind } from '../domain/policy';
import { percentile } from '../domain/public-statistics';

export interface SummaryFigures {
  total: number;
  byStatus: Record<AppealStatus, number>;
  decisions: number;
  overrules: number;
  /** overrules / decisions; null before any decision. */
  overruleRate: number | null;
  /** Median working days from submission to decision, in the appeal's calendar; null before any decision. */
  medianWorkingDaysToDecision: number | null;
  deadlinesMissed: Record<DeadlineKind, number>;
}

export interface DepartmentSummary extends SummaryFigures {
  department: string;
  name: string;
}

export interface SummaryReport {
  generatedAt: string;
  items: DepartmentSummary[];
  totals: SummaryFigures;
}

/** The summary by department: every department appears, with zeros when it has no appeals. */
export async function summaryReport(dataSource: DataSource, now = new Date()): Promise<SummaryReport> {
  const [holidays, departments, statusCounts, decisions, missed] = await Promise.all([
    calendarInForce(dataSource),
    dataSource.query<{ code: string; name: string }[]>(`SELECT code, name FROM departments ORDER BY code`),
    dataSource.query<{ department: string; status: AppealStatus; n: number }[]>(
      `SELECT department_code AS department, status, count(*)::int AS n FROM appeals GROUP BY department_code, status`,
    ),
    dataSource.query<{ department: string; outcome: string; submitted: Date; decided: Date; calendar: CalendarName }[]>(
      `SELECT a.department_code AS department, d.outcome, a.created_at AS submitted, d.decided_at AS decided, a.policy->>'calendar' AS calendar
       FROM decisions d JOIN appeals a ON a.id = d.appeal_id`,
    ),
    dataSource.query<{ department: string; kind: DeadlineKind; n: number }[]>(
      `SELECT a.department_code AS department, ad.kind, count(*)::int AS n
       FROM appeal_deadlines ad JOIN appeals a ON a.id = ad.appeal_id
       WHERE ad.state = 'missed' GROUP BY a.department_code, ad.kind`,
    ),
  ]);

  const tally = (department?: string): SummaryFigures => {
    const mine = <T extends { department: string }>(rows: T[]) => (department ? rows.filter((r) => r.department === department) : rows);
    const byStatus = Object.fromEntries(APPEAL_STATUSES.map((s) => [s, 0])) as Record<AppealStatus, number>;
    for (const row of mine(statusCounts)) if (row.status in byStatus) byStatus[row.status] += row.n;
    const deadlinesMissed = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, 0])) as Record<DeadlineKind, number>;
    for (const row of mine(missed)) if (row.kind in deadlinesMissed) deadlinesMissed[row.kind] += row.n;
    const decided = mine(decisions);
    const overrules = decided.filter((d) => d.outcome === 'overrule').length;
    return {
      total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
      byStatus,
      decisions: decided.length,
      overrules,
      overruleRate: decided.length > 0 ? overrules / decided.length : null,
      medianWorkingDaysToDecision: median(decided.map((d) => workingDaysBetween(d.submitted, d.decided, { division: d.calendar, holidays }))),
      deadlinesMissed,
    };
  };

  return {
    generatedAt: now.toISOString(),
    items: departments.map(({ code, name }) => ({ department: code, name, ...tally(code) })),
    totals: tally(),
  };
}

export const median = (values: number[]): number | null => percentile(values, 0.5);
