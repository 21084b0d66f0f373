/**
 * The register's statistics (/register/statistics): GET /v1/public/statistics as charts drawn on
 * the server, each followed by its table, a department filter, the downloads, and the data
 * dictionary (/register/statistics/dictionary). The query is read by the API's own schema.
 */
import { Router } from 'express';
import { StatisticsQuerySchema } from '../../api/public/statistics';
import type { PublicDeps } from '../../api/public/register';
import { route } from '../../api/route';
import { parse } from '../../api/validation';
import { listDepartments } from '../../db/departments';
import { publicStatistics, type StatisticsFilter } from '../../db/public-statistics';
import { DEADLINE_KINDS } from '../../domain/policy';
import { OUTCOMES, STATISTICS_COLUMNS, type PublicStatistics, type QuarterTotals, type StatisticsFigures } from '../../domain/public-statistics';
import { filledIn, queryErrors } from '../field-errors';
import { barChart, stackedBarChart } from '../reports/charts';

const FILTER_WORDS = {
  department: { name: 'The department', missing: 'Select a department' },
  year: { name: 'The year', missing: 'Enter a year', invalid: 'Enter a year such as 2026' },
};

const OUTCOME_NAMES: Record<(typeof OUTCOMES)[number], string> = {
  conceded: 'Conceded',
  withdrawn: 'Withdrawn',
  dismissed: 'Dismissed',
  overruled: 'Overruled',
  complied: 'Complied with',
};

export function statisticsPages({ dataSource }: PublicDeps): Router {
  return Router()
    .get(
      '/statistics',
      route(async (req, res) => {
        const asked = filledIn(req.query);
        const departments = (await listDepartments(dataSource)).map(({ code, name }) => ({ value: code, text: `${name} (${code})`, selected: code === asked.department }));
        const view = { asked, departments: [{ value: '', text: 'All departments' }, ...departments] };
        let filter: StatisticsFilter;
        try {
          filter = parse(StatisticsQuerySchema, asked, 'query');
        } catch (error) {
          res.status(400).render('register/statistics', { ...view, errors: queryErrors(error, FILTER_WORDS, asked) });
          return;
        }
        const statistics = await publicStatistics(dataSource, filter);
        res.render('register/statistics', { ...view, ...statisticsView(statistics), downloads: downloadsFor(filter) });
      }),
    )
    .get('/statistics/dictionary', (_req, res) => {
      res.render('register/statistics-dictionary', { table: dictionaryTable() });
    });
}

type Cell = { text: string; format?: 'numeric' };
const numeric = (value: number | null, none = 'None'): Cell => ({ text: value === null ? none : value.toLocaleString('en-GB'), format: 'numeric' });
const header = (text: string, format?: 'numeric') => (format ? { text, format } : { text });
const quarterText = (quarter: QuarterTotals) => (quarter.complete ? quarter.quarter : `${quarter.quarter} (to date)`);
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const sum = (totals: QuarterTotals[], figure: (t: StatisticsFigures) => number) => totals.reduce((all, t) => all + figure(t), 0);
const missed = (figures: StatisticsFigures) => DEADLINE_KINDS.reduce((all, kind) => all + figures.deadlinesMissed[kind], 0);

/** The page's charts and tables, from the totals of each quarter and the rows of each department. */
function statisticsView(statistics: PublicStatistics) {
  return { statistics, charts: chartsOf(statistics.totals), tables: tablesOf(statistics) };
}

/** A chart of each quarter's totals, or none when it would have nothing to draw. */
function chartsOf(totals: QuarterTotals[]) {
  const received = sum(totals, (t) => t.received);
  const decisions = sum(totals, (t) => t.decisions);
  const outcomes = sum(totals, (t) => OUTCOMES.reduce((all, o) => all + t[o], 0));
  return {
    received:
      received === 0
        ? null
        : barChart({
            id: 'chart-received',
            title: 'Appeals received in each quarter',
            description: `${plural(received, 'appeal', 'appeals')} received over ${plural(totals.length, 'quarter', 'quarters')}.`,
            rows: totals.map((t) => ({ label: quarterText(t), value: t.received, valueText: plural(t.received, 'appeal', 'appeals') })),
          }),
    outcomes:
      outcomes === 0
        ? null
        : stackedBarChart({
            id: 'chart-outcomes',
            title: 'Outcomes in each quarter',
            description: `${plural(outcomes, 'outcome', 'outcomes')} in all: ${OUTCOMES.map((o) => `${sum(totals, (t) => t[o])} ${OUTCOME_NAMES[o].toLowerCase()}`).join(', ')}.`,
            series: OUTCOMES.map((o) => ({ key: o, name: OUTCOME_NAMES[o] })),
            rows: totals.map((t) => ({ label: quarterText(t), values: Object.fromEntries(OUTCOMES.map((o) => [o, t[o]])) })),
            emptyText: 'No outcomes',
          }),
    workingDays:
      decisions === 0
        ? null
        : barChart({
            id: 'chart-working-days',
            title: 'Median working days from submission to decision, in each quarter',
            description: `${plural(decisions, 'decision', 'decisions')} in all; the median of each quarter's decisions.`,
            rows: totals.map((t) => ({
              label: quarterText(t),
              value: t.medianWorkingDaysToDecision,
              valueText: t.medianWorkingDaysToDecision === null ? 'No decisions' : plural(t.medianWorkingDaysToDecision, 'working day', 'working days'),
            })),
          }),
  };
}

/** The data of each chart as a table, and every department's figures. */
function tablesOf({ totals, items }: PublicStatistics) {
  return {
    received: {
      head: [header('Quarter'), ...['Received', 'Open at the end', 'Overdue at the end'].map((h) => header(h, 'numeric'))],
      rows: totals.map((t) => [{ text: quarterText(t) }, numeric(t.received), numeric(t.open), numeric(t.overdue)]),
    },
    outcomes: {
      head: [header('Quarter'), ...[...OUTCOMES.map((o) => OUTCOME_NAMES[o]), 'Mutuals pipeline'].map((h) => header(h, 'numeric'))],
      rows: totals.map((t) => [{ text: quarterText(t) }, ...OUTCOMES.map((o) => numeric(t[o])), numeric(t.pipeline)]),
    },
    workingDays: {
      head: [header('Quarter'), header('Decisions', 'numeric'), header('Median working days', 'numeric'), header('90th percentile', 'numeric')],
      rows: totals.map((t) => [{ text: quarterText(t) }, numeric(t.decisions), numeric(t.medianWorkingDaysToDecision), numeric(t.p90WorkingDaysToDecision)]),
    },
    departments: {
      head: [
        header('Quarter'),
        header('Department'),
        ...['Received', ...OUTCOMES.map((o) => OUTCOME_NAMES[o]), 'Pipeline', 'Open', 'Overdue', 'Median working days', 'Deadlines missed'].map((h) => header(h, 'numeric')),
      ],
      rows: items.map((item) => [
        { text: item.quarter },
        { text: `${item.name} (${item.department})` },
        numeric(item.received),
        ...OUTCOMES.map((o) => numeric(item[o])),
        numeric(item.pipeline),
        numeric(item.open),
        numeric(item.overdue),
        numeric(item.medianWorkingDaysToDecision),
        numeric(missed(item)),
      ]),
    },
  };
}

/** The JSON and CSV of the figures on the page: the same filter. */
function downloadsFor(filter: StatisticsFilter) {
  const params = new URLSearchParams();
  if (filter.department) params.set('department', filter.department);
  if (filter.year !== undefined) params.set('year', String(filter.year));
  const query = params.size > 0 ? `?${params.toString()}` : '';
  return { csv: `/v1/public/statistics.csv${query}`, json: `/v1/public/statistics${query}` };
}

function dictionaryTable() {
  return {
    head: ['CSV column', 'JSON field', 'Meaning', 'Unit', 'How it is counted'].map((text) => header(text)),
    rows: STATISTICS_COLUMNS.map((c) => [{ text: c.column }, { text: c.field }, { text: `${c.title}: ${c.meaning}` }, { text: c.unit }, { text: c.counting }]),
  };
}
