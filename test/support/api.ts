/** Helpers of the API tests: the people around an appeal, and proof that nothing was written. */
import { expect } from 'chai';
import { harness } from '../harness';
import { castFor, createDepartment, registerArbiter, type Cast } from './appeals';

/** A cast plus the people who must not see its appeals: another department's manager, another arbiter. */
export interface People extends Cast {
  otherManager: string;
  otherArbiter: string;
  otherArbiterId: string;
}

export async function peopleFor(department?: string): Promise<People> {
  const { tokenFor } = harness();
  const cast = await castFor(department ?? (await createDepartment()));
  const otherArbiterId = await registerArbiter();
  return {
    ...cast,
    otherManager: await tokenFor('manager', 'manager-2', await createDepartment()),
    otherArbiter: await tokenFor('arbiter', otherArbiterId),
    otherArbiterId,
  };
}

/** A JSON body just over the 64 KiB limit. */
export const OVERSIZED_BODY = JSON.stringify({ statement: 'x'.repeat(64 * 1024 + 1) });

/**
 * Everything a write call could have written: row counts of every table the API writes, and the
 * newest update of any appeal. Compare before and after to prove a refused call wrote nothing.
 * Only callers' own data is counted: deadlines of other tests' appeals fire on their own, so
 * `appealIds` narrows the per-appeal counts to the appeals the test is about.
 */
export async function databaseFingerprint(appealIds: string[]): Promise<Record<string, unknown>> {
  const { dataSource } = harness();
  const [row] = await dataSource.query<Record<string, unknown>[]>(
    `SELECT (SELECT count(*)::int FROM appeals) AS appeals,
            (SELECT count(*)::int FROM arbiters) AS arbiters,
            (SELECT count(*)::int FROM departments) AS departments,
            (SELECT count(*)::int FROM policy_versions) AS "policyVersions",
            (SELECT count(*)::int FROM idempotency_keys) AS "idempotencyKeys",
            (SELECT count(*)::int FROM timeline_events WHERE appeal_id = ANY($1::uuid[])) AS events,
            (SELECT count(*)::int FROM notifications WHERE appeal_id = ANY($1::uuid[])) AS notifications,
            (SELECT count(*)::int FROM decisions WHERE appeal_id = ANY($1::uuid[])) AS decisions,
            (SELECT count(*)::int FROM appeal_deadlines WHERE appeal_id = ANY($1::uuid[])) AS deadlines,
            (SELECT coalesce(max(updated_at)::text, '') FROM appeals WHERE id = ANY($1::uuid[])) AS "lastUpdate"`,
    [appealIds],
  );
  return row;
}

/** Expect a problem+json answer with this status. */
export function expectProblem(response: { status: number; headers: Headers; body: any }, status: number): void {
  expect(response.status, JSON.stringify(response.body)).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.body).to.include({ status });
  expect(response.body.title).to.be.a('string');
}
