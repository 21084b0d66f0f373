/**
 * What the public register reads. The queries select only the columns (and the parts of the JSON
 * columns) the register publishes, so the names and addresses in a case record never leave
 * PostgreSQL on this path; api/public/view-model.ts shapes what they answer.
 */
import type { DataSource } from 'typeorm';
import type { GroundsOfAppeal } from '../domain/appeal';
import type { Assessment, DecisionOutcome } from '../domain/decision';
import type { AppealStatus } from '../domain/lifecycle';
import type { Policy } from '../domain/policy';

export interface PolicyVersionRow {
  version: number;
  policy: Policy;
  guidance: string;
  createdAt: Date;
}

export interface DepartmentVersions {
  code: string;
  name: string;
  /** Oldest first. */
  versions: PolicyVersionRow[];
}

/** Every department (or one) with every version of its policy. */
export async function departmentsWithVersions(dataSource: DataSource, code?: string): Promise<DepartmentVersions[]> {
  const rows = await dataSource.query<{ code: string; name: string; version: number; policy: Policy; guidance: string; created_at: Date }[]>(
    `SELECT d.code, d.name, p.version, p.policy, p.guidance, p.created_at
       FROM departments d JOIN policy_versions p ON p.department_code = d.code
      WHERE $1::text IS NULL OR d.code = $1
      ORDER BY d.code, p.version`,
    [code ?? null],
  );
  const departments = new Map<string, DepartmentVersions>();
  for (const row of rows) {
    const department = departments.get(row.code) ?? { code: row.code, name: row.name, versions: [] };
    department.versions.push({ version: row.version, policy: row.policy, guidance: row.guidance, createdAt: row.created_at });
    departments.set(row.code, department);
  }
  return [...departments.values()];
}

export interface DecisionRow {
  reference: string;
  departmentCode: string;
  departmentName: string;
  parentBody: { name: string };
  proposedMutual: { name: string; service: string };
  groundsOfAppeal: GroundsOfAppeal;
  outcome: DecisionOutcome;
  assessment: Assessment;
  reasons: string;
  decidedAt: Date;
  policyVersion: number;
  policy: Pick<Policy, 'overruleMinimumEach' | 'overruleMinimumTotal'>;
  status: AppealStatus;
  overdue: boolean;
  /** The arbiter's register name if the administrator published it. */
  arbiterPublicName: string | null;
}

export interface DecisionFilter {
  department?: string;
  outcome?: DecisionOutcome;
  /** The UK calendar year of the decision. */
  year?: number;
  /** Words to find in the reference, parent body, proposed mutual, service or reasons. */
  q?: string;
  limit: number;
  offset: number;
}

const DECISION_COLUMNS = `
  a.reference, a.department_code, dep.name AS department_name,
  a.parent_body->>'name' AS parent_body_name,
  a.proposed_mutual->>'name' AS mutual_name, a.proposed_mutual->>'service' AS mutual_service,
  a.grounds_of_appeal, d.outcome, d.assessment, d.reasons, d.decided_at, a.policy_version,
  a.policy->'overruleMinimumEach' AS minimum_each, a.policy->'overruleMinimumTotal' AS minimum_total,
  a.status, a.overdue, arb.public_name AS arbiter_public_name`;

const DECISIONS_FROM = `
  FROM decisions d JOIN appeals a ON a.id = d.appeal_id JOIN departments dep ON dep.code = a.department_code
  LEFT JOIN arbiters arb ON arb.id = d.arbiter_id`;

type DecisionQueryRow = {
  reference: string;
  department_code: string;
  department_name: string;
  parent_body_name: string;
  mutual_name: string;
  mutual_service: string;
  grounds_of_appeal: GroundsOfAppeal;
  outcome: DecisionOutcome;
  assessment: Assessment;
  reasons: string;
  decided_at: Date;
  policy_version: number;
  minimum_each: number;
  minimum_total: number;
  status: AppealStatus;
  overdue: boolean;
  arbiter_public_name: string | null;
};

function decisionRow(row: DecisionQueryRow): DecisionRow {
  return {
    reference: row.reference,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    parentBody: { name: row.parent_body_name },
    proposedMutual: { name: row.mutual_name, service: row.mutual_service },
    groundsOfAppeal: row.grounds_of_appeal,
    outcome: row.outcome,
    assessment: row.assessment,
    reasons: row.reasons,
    decidedAt: row.decided_at,
    policyVersion: row.policy_version,
    policy: { overruleMinimumEach: row.minimum_each, overruleMinimumTotal: row.minimum_total },
    status: row.status,
    overdue: row.overdue,
    arbiterPublicName: row.arbiter_public_name,
  };
}

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Decisions, newest first, with how many match the filter in all. */
export async function findDecisions(dataSource: DataSource, filter: DecisionFilter): Promise<{ rows: DecisionRow[]; total: number }> {
  const where = `
    ($1::text IS NULL OR a.department_code = $1)
    AND ($2::text IS NULL OR d.outcome = $2)
    AND ($3::int IS NULL OR extract(year FROM d.decided_at AT TIME ZONE 'Europe/London') = $3)
    AND ($4::text IS NULL OR a.reference ILIKE $4 OR a.parent_body->>'name' ILIKE $4 OR a.proposed_mutual->>'name' ILIKE $4
         OR a.proposed_mutual->>'service' ILIKE $4 OR d.reasons ILIKE $4)`;
  const params = [filter.department ?? null, filter.outcome ?? null, filter.year ?? null, filter.q ? likePattern(filter.q) : null];
  const [rows, [{ total }]] = await Promise.all([
    dataSource.query<DecisionQueryRow[]>(`SELECT ${DECISION_COLUMNS} ${DECISIONS_FROM} WHERE ${where} ORDER BY d.decided_at DESC, a.reference LIMIT $5 OFFSET $6`, [
      ...params,
      filter.limit,
      filter.offset,
    ]),
    dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total ${DECISIONS_FROM} WHERE ${where}`, params),
  ]);
  return { rows: rows.map(decisionRow), total };
}

export async function findDecision(dataSource: DataSource, reference: string): Promise<DecisionRow | undefined> {
  const [row] = await dataSource.query<DecisionQueryRow[]>(
    `SELECT ${DECISION_COLUMNS} ${DECISIONS_FROM} WHERE a.reference = $1`,
    [reference],
  );
  return row && decisionRow(row);
}

/** The newest decisions and policy versions, for the register's Atom feed. */
export async function recentPolicyVersions(dataSource: DataSource, limit: number): Promise<(PolicyVersionRow & { code: string; name: string })[]> {
  const rows = await dataSource.query<{ code: string; name: string; version: number; policy: Policy; guidance: string; created_at: Date }[]>(
    `SELECT d.code, d.name, p.version, p.policy, p.guidance, p.created_at
       FROM policy_versions p JOIN departments d ON d.code = p.department_code
      ORDER BY p.created_at DESC, d.code, p.version DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, version: r.version, policy: r.policy, guidance: r.guidance, createdAt: r.created_at }));
}
