/**
 * When Temporal cannot take a call in time (no worker to run the appeal's workflow), the API
 * answers 503 problem+json with Retry-After, and a repeat with the same Idempotency-Key, once a
 * worker is back, takes the action once.
 */
import { expect } from 'chai';
import { startServer, type RunningServer } from '../api/server';
import { harness } from './harness';
import { castFor, createDepartment, submission, timelineTypes, type Cast } from './support/appeals';
import { newTaskQueue, openAppealOn, runWorker } from './support/workers';

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status, await response.clone().text()).to.equal(503);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.headers.get('retry-after')).to.match(/^\d+$/);
  expect(await response.json()).to.include({ status: 503 });
}

describe('API: Temporal cannot take the call in time', () => {
  let cast: Cast;
  let impatient: RunningServer;
  const taskQueue = newTaskQueue();
  before(async () => {
    cast = await castFor(await createDepartment());
    const { dataSource, client, config } = harness();
    impatient = await startServer({ port: 0, dataSource, client, config: { ...config, actionTimeoutMs: 500, temporal: { ...config.temporal, taskQueue } } });
  });
  after(() => impatient.close());

  const call = (path: string, token: string, key: string, body: unknown) =>
    fetch(`${impatient.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('answers 503 to POST /v1/appeals when no worker takes the new appeal', async () => {
    await expectUnavailable(await call('/v1/appeals', cast.caseworker, 'open-1', submission(cast.department)));
  });

  it('answers 503 to an action no worker records, and the repeat with the same key takes it once when a worker is back', async () => {
    const first = await runWorker(taskQueue);
    const opened = await openAppealOn(taskQueue, cast.department);
    await first.stop();
    const contest = () => call(`/v1/appeals/${opened.id}/manager-response`, cast.manager, `contest-${opened.id}`, { position: 'contest', statement: 'We considered it.' });

    await expectUnavailable(await contest());

    const back = await runWorker(taskQueue);
    try {
      // Each repeat waits at most the impatient action timeout; the worker needs a moment to pick the appeal up.
      let repeat = await contest();
      for (let tries = 1; repeat.status === 503 && tries < 20; tries++) repeat = await contest();
      expect(repeat.status, await repeat.clone().text()).to.equal(200);
      expect(await timelineTypes(opened.id)).to.deep.equal(['submitted', 'manager_contested']);
    } finally {
      await back.stop();
    }
  });
});
