/**
 * The case record as PostgreSQL builds it (db/appeal-queries.ts): byte for byte the JSON the API
 * answered when the record was built in JavaScript from entities. The expected record below is
 * what that builder answered for these rows: a decision, a hearing, an extended deadline, jsonb
 * written in another key order, and instants with microseconds (which Date drops).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { PoolClient } from 'pg';
import { findAppeal, findAppealJson, listAppeals, storeAppealView } from '../db/appeal-queries';
import { poolOf } from '../db/data-source';
import { harness } from './harness';
import { createDepartment } from './support/appeals';

const ARBITER = 'arbiter-fixture';

async function insertFixture(id: string, reference: string, department: string): Promise<void> {
  const { dataSource } = harness();
  await dataSource.query(
    `INSERT INTO appeals (id, reference, status, department_code, policy_version, policy, parent_body, appellant, proposed_mutual, grounds_of_appeal,
       request_submitted_on, business_case_summary, manager_defaulted, arbiter_id, hearing, manager_response_due, hearing_due, decision_due,
       compliance_due, overdue, created_by, created_at, updated_at)
     SELECT $1, $2, 'awaiting_compliance', department_code, 1, policy,
       '{"managerEmail": "pat@example.gov.uk", "name": "HM Passport Office", "managerName": "Pat Manager"}',
       '{"email": "sam@example.org", "name": "Sam Appellant"}',
       '{"annualTurnoverPence": 250000000, "staffCount": 120, "service": "passport processing", "name": "Passport \\"Services\\" Mutual"}',
       'refused_unreasonably', '2026-10-01', E'A staff-owned mutual — ünïcode, "quotes",\\nand a second line.', true, $4,
       '{"scheduledFor": "2026-11-20T10:00:00.000Z", "location": "Room 101, Petty France", "outcome": "held", "notes": "Both sides heard."}',
       '2026-10-16 17:00:00.123456+00', '2026-11-29 07:00:00+00', '2026-12-10 17:00:00.999999+01', NULL,
       true, 'caseworker-1', '2026-10-02 09:30:00.987654+00', '2026-11-21 11:15:42.000500+00'
     FROM policy_versions WHERE department_code = $3 AND version = 1`,
    [id, reference, department, ARBITER],
  );
  // Inserted out of order: the record lists deadlines in DEADLINE_KINDS order.
  await dataSource.query(
    `INSERT INTO appeal_deadlines (appeal_id, kind, due_at, state, reminder_ats, explanation, extensions) VALUES
     ($1, 'decision', '2026-12-10 17:00:00.999999+01', 'met', '["2026-12-03T09:00:00.000Z"]',
      '{"policyVersion": 1, "start": "2026-11-20T12:00:00.000Z", "period": {"amount": 14, "unit": "workingDays"}, "calendar": "england-and-wales", "skippedWeekendDays": ["2026-11-21", "2026-11-22"], "skippedBankHolidays": [], "endsAt": "2026-12-10T16:00:00.999Z"}', '[]'),
     ($1, 'hearing', '2026-11-29 07:00:00+00', 'met', '[]',
      '{"policyVersion": 1, "start": "2026-10-20T12:00:00.000Z", "period": {"amount": 30, "unit": "workingDays"}, "calendar": "england-and-wales", "skippedWeekendDays": [], "skippedBankHolidays": [{"date": "2026-12-25", "name": "Christmas Day"}], "endsAt": "2026-11-29T07:00:00.000Z"}',
      '[{"from": "2026-11-22T17:00:00.000Z", "until": "2026-11-25T17:00:00.000Z", "reason": "Illness", "by": "caseworker-1", "at": "2026-11-20T09:00:00.000Z"}, {"from": "2026-11-25T17:00:00.000Z", "until": "2026-11-29T07:00:00.000Z", "reason": "Room unavailable", "by": "caseworker-2", "at": "2026-11-24T09:00:00.000Z"}]'),
     ($1, 'managerResponse', '2026-10-16 17:00:00.123456+00', 'met', '["2026-10-09T09:00:00.000Z", "2026-10-14T09:00:00.000Z"]',
      '{"policyVersion": 1, "start": "2026-10-02T09:30:00.987Z", "period": {"amount": 10, "unit": "workingDays"}, "calendar": "england-and-wales", "skippedWeekendDays": ["2026-10-03"], "skippedBankHolidays": [], "endsAt": "2026-10-16T17:00:00.123Z"}', '[]'),
     ($1, 'compliance', '2027-01-15 17:00:00+00', 'missed', '[]',
      '{"policyVersion": 1, "start": "2026-12-10T16:00:00.999Z", "period": {"amount": 1, "unit": "months"}, "calendar": "england-and-wales", "skippedWeekendDays": [], "skippedBankHolidays": [], "endsAt": "2027-01-15T17:00:00.000Z"}', '[]')`,
    [id],
  );
  await dataSource.query(
    `INSERT INTO decisions (appeal_id, outcome, assessment, reasons, arbiter_id, decided_at) VALUES
     ($1, 'overrule', '{"valueForMoney": 3, "staffSupport": 3, "serviceQuality": 4, "financialViability": 4, "continuityOfService": 3}',
      E'A sound business case.\\nThe refusal gave no weight to staff support.', $2, '2026-12-10 15:59:59.000001+00')`,
    [id, ARBITER],
  );
}

/** What the JavaScript builder answered for the fixture's rows, key for key. */
function expectedRecord(id: string, reference: string, department: string) {
  const explanation = (start: string, endsAt: string, period: object, skippedWeekendDays: string[], skippedBankHolidays: object[] = []) => ({
    start,
    endsAt,
    period,
    calendar: 'england-and-wales',
    policyVersion: 1,
    skippedWeekendDays,
    skippedBankHolidays,
  });
  return {
    id,
    reference,
    status: 'awaiting_compliance',
    department,
    parentBody: { name: 'HM Passport Office', managerName: 'Pat Manager', managerEmail: 'pat@example.gov.uk' },
    appellant: { name: 'Sam Appellant', email: 'sam@example.org' },
    proposedMutual: { name: 'Passport "Services" Mutual', service: 'passport processing', staffCount: 120, annualTurnoverPence: 250000000 },
    groundsOfAppeal: 'refused_unreasonably',
    requestSubmittedOn: '2026-10-01',
    businessCaseSummary: 'A staff-owned mutual — ünïcode, "quotes",\nand a second line.',
    policyVersion: 1,
    managerDefaulted: true,
    arbiterId: ARBITER,
    hearing: { notes: 'Both sides heard.', outcome: 'held', location: 'Room 101, Petty France', scheduledFor: '2026-11-20T10:00:00.000Z' },
    decision: {
      outcome: 'overrule',
      assessment: { staffSupport: 3, valueForMoney: 3, serviceQuality: 4, financialViability: 4, continuityOfService: 3 },
      reasons: 'A sound business case.\nThe refusal gave no weight to staff support.',
      arbiterId: ARBITER,
      decidedAt: '2026-12-10T15:59:59.000Z',
    },
    deadlines: {
      managerResponseDue: '2026-10-16T17:00:00.123Z',
      hearingDue: '2026-11-29T07:00:00.000Z',
      decisionDue: '2026-12-10T16:00:00.999Z',
      complianceDue: null,
    },
    deadlineDetails: [
      {
        kind: 'managerResponse',
        dueAt: '2026-10-16T17:00:00.123Z',
        state: 'met',
        reminderAts: ['2026-10-09T09:00:00.000Z', '2026-10-14T09:00:00.000Z'],
        explanation: explanation('2026-10-02T09:30:00.987Z', '2026-10-16T17:00:00.123Z', { unit: 'workingDays', amount: 10 }, ['2026-10-03']),
        extensions: [],
      },
      {
        kind: 'hearing',
        dueAt: '2026-11-29T07:00:00.000Z',
        state: 'met',
        reminderAts: [],
        explanation: explanation('2026-10-20T12:00:00.000Z', '2026-11-29T07:00:00.000Z', { unit: 'workingDays', amount: 30 }, [], [
          { date: '2026-12-25', name: 'Christmas Day' },
        ]),
        extensions: [
          { at: '2026-11-20T09:00:00.000Z', by: 'caseworker-1', from: '2026-11-22T17:00:00.000Z', until: '2026-11-25T17:00:00.000Z', reason: 'Illness' },
          { at: '2026-11-24T09:00:00.000Z', by: 'caseworker-2', from: '2026-11-25T17:00:00.000Z', until: '2026-11-29T07:00:00.000Z', reason: 'Room unavailable' },
        ],
      },
      {
        kind: 'decision',
        dueAt: '2026-12-10T16:00:00.999Z',
        state: 'met',
        reminderAts: ['2026-12-03T09:00:00.000Z'],
        explanation: explanation('2026-11-20T12:00:00.000Z', '2026-12-10T16:00:00.999Z', { unit: 'workingDays', amount: 14 }, ['2026-11-21', '2026-11-22']),
        extensions: [],
      },
      {
        kind: 'compliance',
        dueAt: '2027-01-15T17:00:00.000Z',
        state: 'missed',
        reminderAts: [],
        explanation: explanation('2026-12-10T16:00:00.999Z', '2027-01-15T17:00:00.000Z', { unit: 'months', amount: 1 }, []),
        extensions: [],
      },
    ],
    overdue: true,
    createdAt: '2026-10-02T09:30:00.987Z',
    updatedAt: '2026-11-21T11:15:42.000Z',
  };
}

describe('the case record, built by PostgreSQL in one query', () => {
  const id = randomUUID();
  const reference = `MUT-FIXTURE-${randomBytes(4).toString('hex')}`;
  let department: string;
  let expected: string;

  before(async () => {
    department = await createDepartment();
    await insertFixture(id, reference, department);
    expected = JSON.stringify(expectedRecord(id, reference, department));
  });

  async function getText(token: string, path: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${harness().apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  }

  it('is the JSON the JavaScript builder answered, byte for byte, from findAppeal and from GET /v1/appeals/{id}', async () => {
    expect(JSON.stringify(await findAppeal(harness().dataSource, id))).to.equal(expected);
    const answer = await getText(await harness().tokenFor('caseworker', 'caseworker-1'), `/v1/appeals/${id}`);
    expect(answer.status).to.equal(200);
    expect(answer.text).to.equal(expected);
  });

  it('is the same record on a page of GET /v1/appeals', async () => {
    const { items } = await listAppeals(harness().dataSource, { department, limit: 25 });
    expect(items).to.deep.equal([expected]);
    const answer = await getText(await harness().tokenFor('caseworker', 'caseworker-1'), `/v1/appeals?department=${department}`);
    expect(answer.text).to.equal(`{"items":[${expected}],"nextCursor":null,"previousCursor":null}`);
  });

  it('is stored by the recording as it is built: every stored record of this run equals the one built now, byte for byte', async () => {
    const { dataSource } = harness();
    expect(JSON.stringify(await storeAppealView(dataSource.manager, id))).to.equal(expected);
    expect(JSON.stringify(await findAppeal(dataSource, id))).to.equal(expected);
    const stored = await dataSource.query<{ id: string; view: unknown }[]>(`SELECT id, view FROM appeals WHERE view IS NOT NULL ORDER BY updated_at DESC LIMIT 500`);
    // Built again with the stored records cleared, in a transaction that is rolled back.
    const runner = dataSource.createQueryRunner();
    const built: unknown[] = [];
    try {
      await runner.startTransaction();
      await runner.query(`UPDATE appeals SET view = NULL WHERE id = ANY($1::uuid[])`, [stored.map((row) => row.id)]);
      for (const row of stored) built.push(await findAppeal(runner.manager, row.id));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(built.map((view) => JSON.stringify(view))).to.deep.equal(stored.map((row) => JSON.stringify(row.view)));
    expect(stored.length).to.be.greaterThan(0);
  });

  it("is read on the pool by statements each connection prepares once, and in a transaction as that transaction sees it", async () => {
    const { dataSource } = harness();
    await findAppealJson(dataSource, id);
    await listAppeals(dataSource, { department, limit: 25 });
    // Every idle connection of the pool, the ones that ran those reads among them.
    const pool = poolOf(dataSource);
    const clients: PoolClient[] = [];
    const prepared: string[] = [];
    try {
      for (let idle = pool.idleCount; idle > 0; idle--) clients.push(await pool.connect());
      for (const client of clients) prepared.push(...(await client.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements`)).rows.map((row) => row.statement));
    } finally {
      for (const client of clients) client.release();
    }
    expect(prepared.some((statement) => statement.includes('FROM appeals a WHERE a.id = $1'))).to.equal(true);
    expect(prepared.some((statement) => statement.includes('WHERE a.department_code = $1'))).to.equal(true);

    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`UPDATE appeals SET view = '{"changed":true}' WHERE id = $1`, [id]);
      expect((await findAppealJson(runner.manager, id))?.json).to.equal('{"changed":true}');
      expect((await findAppealJson(dataSource, id))?.json).to.equal(expected);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('is null for an appeal that does not exist', async () => {
    expect(await findAppeal(harness().dataSource, randomUUID())).to.equal(null);
  });

  it("scopes the record by the same row's department and arbiter: 404 for other managers and arbiters", async () => {
    const { tokenFor } = harness();
    const path = `/v1/appeals/${id}`;
    expect((await getText(await tokenFor('manager', 'manager-1', department), path)).status).to.equal(200);
    expect((await getText(await tokenFor('arbiter', ARBITER), path)).status).to.equal(200);
    expect((await getText(await tokenFor('manager', 'manager-1', 'HO'), path)).status).to.equal(404);
    expect((await getText(await tokenFor('arbiter', 'arbiter-other'), path)).status).to.equal(404);
  });
});
