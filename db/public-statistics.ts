/**
 * The public register's statistics, counted in PostgreSQL: one query counts every figure per
 * department and quarter, one lists the quarter's decisions for their working days (counted in
 * TypeScript on the calendar in force, as db/reports.ts does). The quarters themselves, what each
 * figure means and the shaping are domain/public-statistics.ts's.
 */
import type { DataSource } from 'typeorm';
import { workingDaysBetween } from '../domain/calendar';
import { DEADLINE_KINDS, type CalendarName } from '../domain/policy';
import {
  CLOSING_OUTCOMES,
  countedAt,
  OUTCOME_EVENTS,
  quartersBetween,
  quartersOfYear,
  shapeStatistics,
  stageEndedBy,
  type CountRow,
  type PublicStatistics,
  type Quarter,
} from '../domain/public-statistics';
import { calendarInForce } from './calendars';

export interface StatisticsFilter {
  department?: string;
  year?: number;
}

/** The quarters as a table: label, start, end and the instant open appeals are counted at ($1-$4). */
const QUARTERS = `quarters AS (
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) AS q(quarter, starts, ends, counted_at)
)`;

/** The appeals of the department asked for, or of all ($5). */
const SCOPED = `scoped AS (
  SELECT id, department_code AS department, created_at FROM appeals WHERE $5::text IS NULL OR department_code = $5
)`;

/**
 * Every figure, as (quarter, department, figure, n). Happenings count in the quarter they happened
 * in; open and overdue are counted at the quarter's end (now for the one under way). An appeal is
 * overdue from the event that recorded a missed deadline until the event that ended its stage.
 */
const COUNTS = `
WITH ${QUARTERS}, ${SCOPED},
happenings AS (
  SELECT a.id AS appeal_id, a.department, 'received' AS figure, a.created_at AS at FROM scoped a
  UNION ALL
  SELECT a.id, a.department, o.figure, e.at
    FROM timeline_events e
    JOIN scoped a ON a.id = e.appeal_id
    JOIN unnest($6::text[], $7::text[]) AS o(type, figure) ON o.type = e.type
  UNION ALL
  SELECT a.id, a.department, CASE d.outcome WHEN 'overrule' THEN 'overruled' ELSE 'dismissed' END, d.decided_at
    FROM decisions d JOIN scoped a ON a.id = d.appeal_id
  UNION ALL
  SELECT a.id, a.department, 'missed:' || ad.kind, ad.due_at
    FROM appeal_deadlines ad JOIN scoped a ON a.id = ad.appeal_id
    WHERE ad.state = 'missed'
),
closed AS (
  SELECT appeal_id, min(at) AS at FROM happenings WHERE figure = ANY($8::text[]) GROUP BY appeal_id
),
overdue_spans AS (
  SELECT m.appeal_id, m.at AS starts,
    (SELECT min(e.at)
       FROM timeline_events e
       JOIN unnest($9::text[], $10::text[]) AS s(kind, type) ON s.type = e.type
      WHERE e.appeal_id = m.appeal_id AND e.seq > m.seq AND s.kind = m.data->>'deadline') AS ends
    FROM timeline_events m JOIN scoped a ON a.id = m.appeal_id
   WHERE m.type = 'deadline_missed'
),
open_at AS (
  SELECT q.quarter, q.counted_at, a.department, a.id
    FROM quarters q
    JOIN scoped a ON a.created_at < q.counted_at
    LEFT JOIN closed c ON c.appeal_id = a.id
   WHERE c.at IS NULL OR c.at >= q.counted_at
)
SELECT q.quarter, h.department, h.figure, count(*)::int AS n
  FROM happenings h JOIN quarters q ON h.at >= q.starts AND h.at < q.ends
 GROUP BY q.quarter, h.department, h.figure
UNION ALL
SELECT quarter, department, 'open', count(*)::int FROM open_at GROUP BY quarter, department
UNION ALL
SELECT o.quarter, o.department, 'overdue', count(*)::int
  FROM open_at o
 WHERE EXISTS (SELECT 1 FROM overdue_spans s WHERE s.appeal_id = o.id AND s.starts < o.counted_at AND coalesce(s.ends, 'infinity') >= o.counted_at)
 GROUP BY o.quarter, o.department`;

/** Each decision of the quarters, with what its working days are counted from. */
const DECISIONS = `
WITH ${QUARTERS}
SELECT q.quarter, a.department_code AS department, a.created_at AS submitted, d.decided_at AS decided, a.policy->>'calendar' AS calendar
  FROM decisions d
  JOIN appeals a ON a.id = d.appeal_id
  JOIN quarters q ON d.decided_at >= q.starts AND d.decided_at < q.ends
 WHERE $5::text IS NULL OR a.department_code = $5`;

interface DecisionFacts {
  quarter: string;
  department: string;
  submitted: Date;
  decided: Date;
  calendar: CalendarName;
}

/** The statistics per department and quarter, with totals per quarter. */
export async function publicStatistics(dataSource: DataSource, filter: StatisticsFilter, now = new Date()): Promise<PublicStatistics> {
  const department = filter.department ?? null;
  const quarters = await quartersAsked(dataSource, filter, now);
  const table = [quarters.map((q) => q.label), quarters.map((q) => q.starts), quarters.map((q) => q.ends), quarters.map((q) => countedAt(q, now)), department];
  const stageEnds = DEADLINE_KINDS.flatMap((kind) => stageEndedBy(kind).map((type) => [kind, type]));
  const [holidays, departments, counts, decided] = await Promise.all([
    calendarInForce(dataSource),
    dataSource.query<{ code: string; name: string }[]>(`SELECT code, name FROM departments WHERE $1::text IS NULL OR code = $1 ORDER BY code`, [department]),
    dataSource.query<CountRow[]>(COUNTS, [
      ...table,
      Object.keys(OUTCOME_EVENTS),
      Object.values(OUTCOME_EVENTS),
      CLOSING_OUTCOMES,
      stageEnds.map(([kind]) => kind),
      stageEnds.map(([, type]) => type),
    ]),
    dataSource.query<DecisionFacts[]>(DECISIONS, table),
  ]);
  const decisions = decided.map((d) => ({
    quarter: d.quarter,
    department: d.department,
    workingDays: workingDaysBetween(d.submitted, d.decided, { division: d.calendar, holidays }),
  }));
  return shapeStatistics({ quarters, departments, counts, decisions, filter, now });
}

/** A year's quarters begun by now; otherwise every quarter from the first appeal's (of the department) to now. */
async function quartersAsked(dataSource: DataSource, { department, year }: StatisticsFilter, now: Date): Promise<Quarter[]> {
  if (year !== undefined) return quartersOfYear(year, now);
  const [{ first }] = await dataSource.query<{ first: Date | null }[]>(
    `SELECT min(created_at) AS first FROM appeals WHERE $1::text IS NULL OR department_code = $1`,
    [department ?? null],
  );
  return quartersBetween(first ?? now, now);
}
