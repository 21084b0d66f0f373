/**
 * Scenario 6, concurrent duplicates: the same decision sent ten times at once with ten keys, and
 * ten times at once with one key. Exactly one takes effect; the others answer 409 (another
 * decision stands) or, with the same key, the first answer again.
 */
import { expect } from 'chai';
import type { AppealView } from '../../domain/appeal';
import { appealAfter, castFor, DECISIONS, move, PATHS, type Cast, type Expectation } from './appeals';
import type { ApiClient } from './client';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';

const COPIES = 10;

describe('6. concurrent duplicates', function () {
  this.timeout(300_000);
  const stack = withStack('duplicates');

  it('records one decision whether it is sent with ten keys or ten times with one key', async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'duplicates');
    const toDecide = ['contest', 'assignArbiter', 'scheduleHearing', 'hold'] as const;
    const [manyKeys, oneKey] = await Promise.all([appealAfter(api, cast, 'many-keys', [...toDecide]), appealAfter(api, cast, 'one-key', [...toDecide])]);

    const decide = (appeal: AppealView, key: string) =>
      api.call('POST', `/v1/appeals/${appeal.id}/decision`, { token: cast.arbiter, key, body: DECISIONS.overrule });
    const [withManyKeys, withOneKey] = await Promise.all([
      Promise.all(Array.from({ length: COPIES }, (_, i) => decide(manyKeys, `${cast.run}:many-keys:decide-${i}`))),
      Promise.all(Array.from({ length: COPIES }, () => decide(oneKey, `${cast.run}:one-key:decide`))),
    ]);

    const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();
    expect(statuses(withManyKeys), 'ten keys: one decision, nine refusals').to.deep.equal([200, ...Array(COPIES - 1).fill(409)]);
    expect(statuses(withOneKey), 'one key: the first answer, ten times').to.deep.equal(Array(COPIES).fill(200));
    const shown = withOneKey.map((a) => (a.body as AppealView).decision?.decidedAt ?? 'no decision');
    expect(shown, 'every answer to the one key shows the decision, as the first answer did').to.deep.equal(Array(COPIES).fill(shown.find((d) => d !== 'no decision')));

    const expected = await Promise.all([manyKeys, oneKey].map((appeal) => finish(api, cast, appeal)));
    const all = [...withManyKeys, ...withOneKey];
    conclude('6 concurrent duplicates', stack(), await checkInvariants(expected, Object.values(cast.departments)), {
      'decisions sent': all.length,
      'answered 200': all.filter((a) => a.status === 200).length,
      'answered 409': all.filter((a) => a.status === 409).length,
      ...elapsed(),
    });
  });
});

/** Confirm compliance so the workflow finishes; answers what the appeal must look like. */
async function finish(api: ApiClient, cast: Cast, appeal: AppealView): Promise<Expectation> {
  const done = await move(api, cast, appeal, 'comply', `${cast.run}:${appeal.id}:comply`);
  expect(done.status).to.equal('complied');
  return {
    id: appeal.id,
    label: appeal.id,
    status: 'complied',
    events: PATHS.complied.events,
    managerDefaulted: false,
    decision: { ...DECISIONS.overrule, arbiterId: cast.arbiterId },
    finishes: true,
  };
}
