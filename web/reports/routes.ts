import { Router } from 'express';
import type { Caller } from '../../api/context';
import { REPORT_ROLES, type ReportService } from '../../api/reports/service';
import { route } from '../../api/route';
import type { DepartmentSummary, SummaryReport } from '../../db/reports';
import { APPEAL_STATUSES } from '../../domain/lifecycle';
import { DEADLINE_KINDS } from '../../domain/policy';
import { onlyFor } from '../action-pages';
import { DEADLINE_NAMES, STATUS_NAMES } from '../labels';
import { barChart, stackedBarChart } from './charts';

/** The reports page (/reports): the summary report of GET /v1/reports/summary, as charts with their tables. */
export function reportRoutes(reports: ReportService): Router {
  return Router().get(
    '/reports',
    onlyFor(REPORT_ROLES, 'It is for caseworkers and administrators only.'),
    route(async (req, res) => {
      const report = await reports.summary(req.caller as Caller);
      res.render('reports/summary', { report, charts: summaryCharts(report), statuses: APPEAL_STATUSES, deadlineKinds: DEADLINE_KINDS, percent });
    }),
  );
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 100));
const daysText = (days: number) => `${days.toLocaleString('en-GB', { maximumFractionDigits: 1 })} working ${days === 1 ? 'day' : 'days'}`;
const labelOf = (item: DepartmentSummary) => `${item.name} (${item.department})`;
const missedIn = (figures: Pick<DepartmentSummary, 'deadlinesMissed'>) => DEADLINE_KINDS.reduce((sum, kind) => sum + figures.deadlinesMissed[kind], 0);

/** A list in words: "a, b and c". */
const inWords = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/** The four charts of the summary: departments without appeals are left out of them (the tables list every one). */
export function summaryCharts(report: SummaryReport): Record<'byStatus' | 'overruleRate' | 'medianDays' | 'deadlinesMissed', string | null> {
  const active = report.items.filter((item) => item.total > 0);
  const { totals } = report;
  const all = { label: 'All departments', ...totals };
  const decided = [all, ...active.map((item) => ({ ...item, label: labelOf(item) }))];
  const statusCounts = APPEAL_STATUSES.filter((s) => totals.byStatus[s] > 0).map((s) => `${totals.byStatus[s]} ${STATUS_NAMES[s].toLowerCase()}`);
  const missedCounts = DEADLINE_KINDS.filter((k) => totals.deadlinesMissed[k] > 0).map((k) => `${totals.deadlinesMissed[k]} ${DEADLINE_NAMES[k].toLowerCase()}`);

  return {
    byStatus:
      active.length === 0
        ? null
        : stackedBarChart({
            id: 'chart-status',
            title: 'Appeals by status in each department',
            description: `${totals.total} appeals in ${active.length} ${active.length === 1 ? 'department' : 'departments'}: ${inWords(statusCounts)}. Departments without appeals are left out.`,
            series: APPEAL_STATUSES.map((status) => ({ key: status, name: STATUS_NAMES[status] })),
            rows: active.map((item) => ({ label: labelOf(item), values: item.byStatus })),
            emptyText: 'No appeals',
          }),
    overruleRate:
      totals.decisions === 0
        ? null
        : barChart({
            id: 'chart-overrules',
            title: 'Overrule rate: the share of decisions that overruled the managers',
            description: `In all, ${percent(totals.overruleRate)}% of ${totals.decisions} decisions overruled the managers (${totals.overrules}).`,
            max: 100,
            rows: decided.map((item) => ({
              label: item.label,
              value: percent(item.overruleRate),
              valueText: item.decisions === 0 ? 'No decisions yet' : `${percent(item.overruleRate)}% (${item.overrules} of ${item.decisions})`,
            })),
          }),
    medianDays:
      totals.decisions === 0
        ? null
        : barChart({
            id: 'chart-median',
            title: 'Median working days from submission to decision',
            description: `In all, the median appeal was decided ${daysText(totals.medianWorkingDaysToDecision ?? 0)} after it was submitted, over ${totals.decisions} decisions.`,
            rows: decided.map((item) => ({
              label: item.label,
              value: item.medianWorkingDaysToDecision,
              valueText: item.medianWorkingDaysToDecision === null ? 'No decisions yet' : daysText(item.medianWorkingDaysToDecision),
            })),
          }),
    deadlinesMissed:
      missedIn(totals) === 0
        ? null
        : stackedBarChart({
            id: 'chart-missed',
            title: 'Deadlines missed in each department, by deadline',
            description: `${missedIn(totals)} deadlines missed in all: ${inWords(missedCounts)}. Departments without appeals are left out.`,
            series: DEADLINE_KINDS.map((kind) => ({ key: kind, name: DEADLINE_NAMES[kind] })),
            rows: active.map((item) => ({ label: labelOf(item), values: item.deadlinesMissed })),
            emptyText: 'None missed',
          }),
  };
}
