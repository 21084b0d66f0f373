/**
 * The public register's statistics: calendar quarters in UK time, the figures counted in each per
 * department, their percentiles, and the columns of the CSV with what each means (the data
 * dictionary). Pure: rows counted by db/public-statistics.ts in, figures out.
 */
import { DateTime } from 'luxon';
import type { EventType } from './appeal';
import { DEADLINE_RUNS_WHILE, STEPS, TRANSITIONS, type AppealStatus, type Step } from './lifecycle';
import { DEADLINE_KINDS, type DeadlineKind } from './policy';

const LONDON = 'Europe/London';

// ---- quarters ---------------------------------------------------------------------------------

/** A calendar quarter in UK time: from `starts` up to, not including, `ends`. */
export interface Quarter {
  /** 2026-Q4 */
  label: string;
  starts: Date;
  ends: Date;
}

const quarterStarting = (start: DateTime): Quarter => ({
  label: `${start.year}-Q${start.quarter}`,
  starts: start.toJSDate(),
  ends: start.plus({ quarters: 1 }).toJSDate(),
});

/** The quarter an instant falls in, on the UK's clock (31 March 23:30 UTC in summer time is already 1 April). */
export function quarterOf(instant: Date): Quarter {
  return quarterStarting(DateTime.fromJSDate(instant, { zone: LONDON }).startOf('quarter'));
}

/** Every quarter from the one `first` falls in to the one `last` falls in, oldest first. */
export function quartersBetween(first: Date, last: Date): Quarter[] {
  const quarters: Quarter[] = [];
  for (let quarter = quarterOf(first); quarter.starts <= last; quarter = quarterOf(quarter.ends)) quarters.push(quarter);
  return quarters;
}

/** The quarters of a calendar year that have begun by `now`. */
export function quartersOfYear(year: number, now: Date): Quarter[] {
  const first = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: LONDON });
  const last = first.plus({ years: 1, milliseconds: -1 }).toJSDate();
  return quartersBetween(first.toJSDate(), last < now ? last : now);
}

/** The instant open appeals are counted at: the quarter's end, or now for the quarter under way. */
export const countedAt = (quarter: Quarter, now: Date): Date => (quarter.ends < now ? quarter.ends : now);

// ---- percentiles ------------------------------------------------------------------------------

/**
 * The q-th quantile (0-1) of `values`, interpolating linearly between the closest ranks (as
 * PERCENTILE.INC in spreadsheets), to one decimal place; null for no values. The median is q = 0.5.
 */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return Math.round((sorted[below] + (rank - below) * (sorted[above] - sorted[below])) * 10) / 10;
}

// ---- what is counted --------------------------------------------------------------------------

export const OUTCOMES = ['conceded', 'withdrawn', 'dismissed', 'overruled', 'complied'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The timeline events that record outcomes; decisions (dismissed, overruled) are read from the decisions themselves. */
export const OUTCOME_EVENTS = {
  manager_conceded: 'conceded',
  withdrawn: 'withdrawn',
  compliance_confirmed: 'complied',
} as const satisfies Partial<Record<EventType, Outcome>>;

/** The outcomes that close an appeal; an overrule keeps it open until the parent body complies. */
export const CLOSING_OUTCOMES: readonly Outcome[] = ['conceded', 'withdrawn', 'dismissed', 'complied'];

/** The timeline event each lifecycle step records. */
const STEP_EVENTS: Record<Step, EventType> = {
  concede: 'manager_conceded',
  contest: 'manager_contested',
  managerDefault: 'manager_defaulted',
  assignArbiter: 'arbiter_assigned',
  scheduleHearing: 'hearing_scheduled',
  holdHearing: 'hearing_held',
  adjournHearing: 'hearing_adjourned',
  overrule: 'decision_made',
  dismiss: 'decision_made',
  confirmCompliance: 'compliance_confirmed',
  withdraw: 'withdrawn',
};

/**
 * The events that end the stage a deadline runs in, by the transition table: an appeal that
 * missed the deadline is overdue (domain/lifecycle.ts isOverdue) until one of them.
 */
export function stageEndedBy(kind: DeadlineKind): EventType[] {
  const during: readonly AppealStatus[] = DEADLINE_RUNS_WHILE[kind];
  const leaving = (step: Step) =>
    Object.entries(TRANSITIONS[step]).some(([from, to]) => during.includes(from as AppealStatus) && !during.includes(to));
  return [...new Set(STEPS.filter(leaving).map((step) => STEP_EVENTS[step]))];
}

/** What one row of the counting query counts. */
export type CountedFigure = 'received' | Outcome | 'open' | 'overdue' | `missed:${DeadlineKind}`;

/** A count of one figure of one department in one quarter. */
export interface CountRow {
  quarter: string;
  department: string;
  figure: CountedFigure;
  n: number;
}

/** One decision of a quarter: the working days from its appeal's submission to it. */
export interface DecisionRow {
  quarter: string;
  department: string;
  workingDays: number;
}

// ---- the figures ------------------------------------------------------------------------------

export interface StatisticsFigures extends Record<Outcome, number> {
  received: number;
  /** Spin-outs cleared to go ahead: concessions and overrules complied with. */
  pipeline: number;
  open: number;
  overdue: number;
  decisions: number;
  medianWorkingDaysToDecision: number | null;
  p90WorkingDaysToDecision: number | null;
  deadlinesMissed: Record<DeadlineKind, number>;
}

export interface DepartmentQuarter extends StatisticsFigures {
  quarter: string;
  department: string;
  name: string;
}

export interface QuarterTotals extends StatisticsFigures {
  quarter: string;
  startsAt: string;
  endsAt: string;
  /** false for the quarter under way: its open appeals are counted now. */
  complete: boolean;
  /** Every department counted in the totals, with or without appeals in the quarter. */
  departments: string[];
}

export interface PublicStatistics {
  generatedAt: string;
  department: string | null;
  year: number | null;
  /** One per department and quarter with anything to count, oldest quarter first, by department code. */
  items: DepartmentQuarter[];
  /** One per quarter, across the departments. */
  totals: QuarterTotals[];
}

export interface StatisticsInput {
  quarters: Quarter[];
  departments: { code: string; name: string }[];
  counts: CountRow[];
  decisions: DecisionRow[];
  filter: { department?: string; year?: number };
  now: Date;
}

interface Tally {
  counts: Partial<Record<CountedFigure, number>>;
  workingDays: number[];
}

function figuresOf({ counts, workingDays }: Tally): StatisticsFigures {
  const count = (figure: CountedFigure) => counts[figure] ?? 0;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, count(o)])) as Record<Outcome, number>;
  return {
    received: count('received'),
    ...outcomes,
    pipeline: outcomes.conceded + outcomes.complied,
    open: count('open'),
    overdue: count('overdue'),
    decisions: workingDays.length,
    medianWorkingDaysToDecision: percentile(workingDays, 0.5),
    p90WorkingDaysToDecision: percentile(workingDays, 0.9),
    deadlinesMissed: Object.fromEntries(DEADLINE_KINDS.map((kind) => [kind, count(`missed:${kind}`)])) as Record<DeadlineKind, number>,
  };
}

const emptyTally = (): Tally => ({ counts: {}, workingDays: [] });

/**
 * The statistics from the counted rows. A department with nothing to count in a quarter (no appeal
 * received, decided, closed, open or overdue, no deadline missed) has no row for it rather than a
 * row of zeros: departments are added over time, and zeros for quarters before one existed would
 * read as a record it does not have. Every department still appears in each quarter's totals.
 */
export function shapeStatistics({ quarters, departments, counts, decisions, filter, now }: StatisticsInput): PublicStatistics {
  const tallies = new Map<string, Tally>();
  const tallyOf = (quarter: string, department: string) => {
    const key = `${quarter} ${department}`;
    if (!tallies.has(key)) tallies.set(key, emptyTally());
    return tallies.get(key) as Tally;
  };
  for (const row of counts) {
    const { counts: tally } = tallyOf(row.quarter, row.department);
    tally[row.figure] = (tally[row.figure] ?? 0) + row.n;
  }
  for (const row of decisions) tallyOf(row.quarter, row.department).workingDays.push(row.workingDays);

  const codes = departments.map((d) => d.code).sort();
  const names = new Map(departments.map((d) => [d.code, d.name]));
  const items = quarters.flatMap((quarter) =>
    codes
      .filter((code) => tallies.has(`${quarter.label} ${code}`))
      .map((code) => ({ quarter: quarter.label, department: code, name: names.get(code) ?? code, ...figuresOf(tallyOf(quarter.label, code)) })),
  );
  const totals = quarters.map((quarter) => {
    const all = codes.map((code) => tallies.get(`${quarter.label} ${code}`) ?? emptyTally());
    const sum: Tally = { counts: {}, workingDays: all.flatMap((t) => t.workingDays) };
    for (const tally of all) {
      for (const [figure, n] of Object.entries(tally.counts) as [CountedFigure, number][]) sum.counts[figure] = (sum.counts[figure] ?? 0) + n;
    }
    return {
      quarter: quarter.label,
      startsAt: quarter.starts.toISOString(),
      endsAt: quarter.ends.toISOString(),
      complete: quarter.ends <= now,
      departments: codes,
      ...figuresOf(sum),
    };
  });
  return { generatedAt: now.toISOString(), department: filter.department ?? null, year: filter.year ?? null, items, totals };
}

// ---- the CSV and its data dictionary ------------------------------------------------------------

/** A column of the CSV: the JSON field it holds, and what it means. */
export interface StatisticsColumn {
  column: string;
  field: string;
  title: string;
  unit: string;
  meaning: string;
  counting: string;
}

const QUARTER_COUNTING = 'Counted in the calendar quarter, in UK time, in which it happened.';
const COUNT = 'appeals';

const outcomeColumn = (outcome: Outcome, title: string, meaning: string, counting: string): StatisticsColumn => ({
  column: outcome,
  field: outcome,
  title,
  unit: COUNT,
  meaning,
  counting: `${counting} ${QUARTER_COUNTING}`,
});

const DEADLINE_TITLES: Record<DeadlineKind, string> = {
  managerResponse: "the managers' response",
  hearing: 'holding the hearing',
  decision: "the arbiter's decision",
  compliance: "the parent body's compliance with an overrule",
};

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** Every column of the CSV, in order, and every figure of the JSON: the data dictionary. */
export const STATISTICS_COLUMNS: readonly StatisticsColumn[] = [
  {
    column: 'quarter',
    field: 'quarter',
    title: 'Quarter',
    unit: 'calendar quarter, written YYYY-Qn',
    meaning: 'The calendar quarter the figures are for: Q1 is January to March, Q2 April to June, Q3 July to September, Q4 October to December.',
    counting: 'A quarter begins at midnight UK time (Europe/London, summer time included) on its first day.',
  },
  { column: 'department', field: 'department', title: 'Department', unit: 'code', meaning: "The department's code, such as HO.", counting: 'The department the appeal was made to.' },
  { column: 'department_name', field: 'name', title: 'Department name', unit: 'text', meaning: "The department's name.", counting: 'As the department is named now.' },
  {
    column: 'received',
    field: 'received',
    title: 'Appeals received',
    unit: COUNT,
    meaning: 'Appeals submitted to the arbiter.',
    counting: `Counted when the caseworker recorded the appeal. ${QUARTER_COUNTING}`,
  },
  outcomeColumn('conceded', 'Conceded', 'Appeals the managers conceded: the parent body agreed to support the spin-out.', "Counted at the managers' concession."),
  outcomeColumn('withdrawn', 'Withdrawn', 'Appeals withdrawn before a decision.', 'Counted at the withdrawal.'),
  outcomeColumn('dismissed', 'Dismissed', 'Appeals the arbiter dismissed.', "Counted at the arbiter's decision."),
  outcomeColumn('overruled', 'Overruled', "Appeals in which the arbiter overruled the managers: a binding decision the parent body must carry out.", "Counted at the arbiter's decision."),
  outcomeColumn('complied', 'Complied with', 'Overrules the parent body confirmed it has carried out.', "Counted at the managers' confirmation."),
  {
    column: 'pipeline',
    field: 'pipeline',
    title: 'Mutuals pipeline',
    unit: 'spin-outs',
    meaning: 'Spin-outs cleared to go ahead: concessions plus overrules complied with.',
    counting: `conceded + complied of the same row. ${QUARTER_COUNTING}`,
  },
  {
    column: 'open',
    field: 'open',
    title: 'Open at the end of the quarter',
    unit: COUNT,
    meaning: 'Appeals submitted and not yet conceded, withdrawn, dismissed or complied with (an overruled appeal stays open until complied with).',
    counting: 'Counted at the end of the quarter; for the quarter under way, at the time of the answer (generatedAt).',
  },
  {
    column: 'overdue',
    field: 'overdue',
    title: 'Overdue at the end of the quarter',
    unit: COUNT,
    meaning: 'Open appeals with a deadline missed and still unmet: the stage the deadline was set for (hearing, decision or compliance) not yet over.',
    counting: 'Counted at the same instant as open; included in open.',
  },
  {
    column: 'decisions',
    field: 'decisions',
    title: 'Decisions',
    unit: 'decisions',
    meaning: "The arbiter's decisions: dismissed plus overruled.",
    counting: QUARTER_COUNTING,
  },
  {
    column: 'median_working_days_to_decision',
    field: 'medianWorkingDaysToDecision',
    title: 'Median working days to decision',
    unit: 'working days, to one decimal place; empty (null) without decisions',
    meaning: 'The median time from submission to decision of the decisions made in the quarter.',
    counting:
      "Working days after the day of submission up to and including the day of decision, in UK time, skipping weekends and the bank holidays of the appeal's calendar (the policy it was opened under) in force now. " +
      'An even count takes the mean of the middle two.',
  },
  {
    column: 'p90_working_days_to_decision',
    field: 'p90WorkingDaysToDecision',
    title: '90th percentile of working days to decision',
    unit: 'working days, to one decimal place; empty (null) without decisions',
    meaning: 'Nine in ten of the decisions made in the quarter took at most this long from submission.',
    counting: 'Working days counted as for the median; interpolated linearly between the closest ranks (as PERCENTILE.INC in spreadsheets).',
  },
  ...DEADLINE_KINDS.map((kind) => ({
    column: `deadlines_missed_${snake(kind)}`,
    field: `deadlinesMissed.${kind}`,
    title: `Deadlines missed: ${DEADLINE_TITLES[kind]}`,
    unit: 'deadlines',
    meaning: `Deadlines for ${DEADLINE_TITLES[kind]} that passed unmet.`,
    counting: 'Counted in the quarter, in UK time, in which the deadline fell due (after any extension).',
  })),
];

/** The value of a field of a row, by its dotted name. */
function valueOf(row: DepartmentQuarter, field: string): string | number | null {
  return field.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], row) as string | number | null;
}

/**
 * A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, its
 * quotes doubled. Text that a spreadsheet would take for a formula (a name an administrator typed
 * starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, so it opens as text.
 */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV: a header row of the columns, then a row per department and quarter, each line ending CRLF. */
export function statisticsCsv(items: readonly DepartmentQuarter[]): string {
  const lines = [STATISTICS_COLUMNS.map((c) => c.column), ...items.map((item) => STATISTICS_COLUMNS.map((c) => valueOf(item, c.field)))];
  return lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
