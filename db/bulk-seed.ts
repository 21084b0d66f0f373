import type { DataSource } from 'typeorm';

/**
 * Many appeals straight into the tables, for query-plan tests and benchmarks: spread over the five
 * seeded departments and every status, one in 97 overdue, half with one of 200 arbiters.
 */
export async function seedManyAppeals(db: DataSource, count: number): Promise<void> {
  await db.query(
    `
    INSERT INTO appeals (id, reference, status, department_code, policy_version, policy, parent_body, appellant, proposed_mutual,
                         grounds_of_appeal, request_submitted_on, business_case_summary, arbiter_id, overdue, created_by, created_at, updated_at)
    SELECT gen_random_uuid(), 'MUT-2025-' || lpad(i::text, 6, '0'),
           (ARRAY['awaiting_manager_response','conceded','awaiting_hearing','hearing_scheduled','awaiting_decision',
                  'dismissed','awaiting_compliance','complied','withdrawn'])[1 + i % 9],
           (ARRAY['DCLG','BIS','DFE','HO','MOJ'])[1 + i % 5], 1, p.policy,
           '{"name":"Parent","managerName":"M","managerEmail":"m@example.org"}', '{"name":"A","email":"a@example.org"}',
           jsonb_build_object('name', 'Mutual ' || md5(i::text), 'service', 's', 'staffCount', 10, 'annualTurnoverPence', 1),
           'no_response', '2026-01-01', 'summary', CASE WHEN i % 2 = 0 THEN 'arb-' || (i % 200) END, i % 97 = 0, 'seed',
           now() - i * interval '1 minute', now()
    FROM generate_series(1, $1::int) AS i, (SELECT policy FROM policy_versions WHERE department_code = 'HO' AND version = 1) p`,
    [count],
  );
  await db.query(`ANALYZE appeals`);
}

/** Typical list filters: each must be served by an index. */
export const LIST_FILTERS = [
  ['no filter', {}],
  ['status', { status: 'awaiting_decision' }],
  ['department', { department: 'HO' }],
  ['arbiterId', { arbiterId: 'arb-42' }],
  ['overdue', { overdue: true }],
  ['q: a reference', { q: 'MUT-2025-054321' }],
  ['q: part of a name', { q: '01cfcd4f6b' }],
  ['department and status (a manager filtering)', { department: 'BIS', status: 'dismissed' }],
  ['arbiterId and status (an arbiter filtering)', { arbiterId: 'arb-42', status: 'awaiting_hearing' }],
] as const;
