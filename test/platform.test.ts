import { expect } from 'chai';
import { harness } from './harness';

/** A submission as a caseworker would send it: a Home Office spin-out whose request went unanswered. */
function appealBody(): Record<string, unknown> {
  const twoWeeksAgo = new Date(Date.now() - 14 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    department: 'HO',
    parentBody: { name: 'HM Passport Office', managerName: 'Pat Manager', managerEmail: 'pat.manager@example.gov.uk' },
    appellant: { name: 'Sam Appellant', email: 'sam.appellant@example.org' },
    proposedMutual: { name: 'Passport Services Mutual', service: 'passport application processing', staffCount: 120, annualTurnoverPence: 250_000_000 },
    groundsOfAppeal: 'no_response',
    requestSubmittedOn: twoWeeksAgo,
    businessCaseSummary: 'Staff-owned mutual taking over passport application processing with a five-year contract.',
  };
}

describe('the platform (walking skeleton)', () => {
  it('answers liveness and readiness', async () => {
    const { api } = harness();
    expect((await api('GET', '/healthz')).status).to.equal(200);
    expect((await api('GET', '/readyz')).status).to.equal(200);
  });

  it('opens an appeal, shows it back and records its submission on the timeline', async () => {
    const { api, tokenFor, dataSource, schema } = harness();
    const token = await tokenFor('caseworker', 'caseworker-1');

    const created = await api('POST', '/v1/appeals', { token, body: appealBody() });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.id).to.be.a('string');
    expect(created.body.reference).to.match(/^MUT-\d{4}-\d{6}$/);
    expect(created.body.status).to.equal('awaiting_manager_response');

    const fetched = await api('GET', `/v1/appeals/${created.body.id}`, { token });
    expect(fetched.status, JSON.stringify(fetched.body)).to.equal(200);
    expect(fetched.body).to.include({ id: created.body.id, reference: created.body.reference, status: 'awaiting_manager_response' });

    const rows: { n: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n FROM "${schema}".timeline_events WHERE appeal_id = $1 AND type = 'submitted'`,
      [created.body.id],
    );
    expect(rows[0]?.n).to.equal(1);
  });
});
