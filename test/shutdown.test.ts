/**
 * Stopping the API and the worker as in production: separate processes on the harness's Temporal
 * and PostgreSQL, sent SIGTERM while work is in flight that cannot finish quickly.
 */
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AppealActivities } from '../activities/create';
import { appealIdFor } from '../api/appeals/service';
import { findFreePort } from '../scripts/lib/ports';
import { harness } from './harness';
import { submission } from './support/appeals';
import { stackLines, waitUntil, type Spawned } from './support/processes';
import { newTaskQueue, openAppealOn, runWorker, spawnEntry, type RunningWorker } from './support/workers';
import { appealWorkflowId, respondAsManagerUpdate } from '../workflows/shared';

const GRACE_SECONDS = 3;
/** Time allowed on top of the grace period: cutting calls short, closing connections, exiting. */
const SLACK_MS = 4_000;

/** Recording activities that wait, once holding starts, until the test releases their appeal. */
class HeldActivities {
  holding = false;
  private readonly releases = new Map<string, () => void>();

  wrap(activities: AppealActivities): AppealActivities {
    return { ...activities, openAppeal: this.held(activities.openAppeal), recordStep: this.held(activities.recordStep) };
  }

  /** The appeals whose recording is waiting. */
  waiting(): string[] {
    return [...this.releases.keys()];
  }

  release(appealId: string): void {
    this.releases.get(appealId)?.();
    this.releases.delete(appealId);
  }

  releaseAll(): void {
    this.holding = false;
    for (const appealId of this.waiting()) this.release(appealId);
  }

  private held<I extends { appealId: string }, O>(activity: (input: I) => Promise<O>): (input: I) => Promise<O> {
    return async (input) => {
      if (this.holding) await new Promise<void>((resolve) => this.releases.set(input.appealId, resolve));
      return activity(input);
    };
  }
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

async function post(url: string, token: string, body: unknown, idempotencyKey = randomUUID()): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** Nothing on stderr that looks like a crash. */
function expectQuietStderr(child: Spawned): void {
  expect(child.stderr()).not.to.match(/Channel has been shut down|Unhandled|uncaught/i);
  expect(stackLines(child.stderr()), child.stderr()).to.deep.equal([]);
}

describe('stopping the API and the worker (SIGTERM)', function () {
  this.timeout(90_000);
  const spawned: Spawned[] = [];
  const held = new HeldActivities();
  let worker: RunningWorker | undefined;
  let webhook: http.Server | undefined;

  afterEach(async () => {
    for (const one of spawned.splice(0)) if (!one.exited()) one.signal('SIGKILL');
    held.releaseAll();
    await worker?.stop();
    worker = undefined;
    webhook?.closeAllConnections();
    await new Promise((resolve) => webhook?.close(resolve) ?? resolve(undefined));
    webhook = undefined;
  });

  it('the API answers every call in flight, 200 or 503 problem+json within the grace period, then exits 0', async () => {
    const queue = newTaskQueue();
    worker = await runWorker(queue, (activities) => held.wrap(activities));
    const appeals = await Promise.all([1, 2, 3, 4].map(() => openAppealOn(queue, 'HO')));
    const port = await findFreePort();
    const api = spawnEntry(path.join('api', 'main.ts'), { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS), PORT: String(port), TEMPORAL_TASK_QUEUE: queue, ACTION_TIMEOUT_SECONDS: '120' });
    spawned.push(api);
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitUntil('the API is ready', async () => (await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.status === 200, 30_000, () => api.exited());

    held.holding = true;
    const token = await harness().tokenFor('caseworker', 'caseworker-1');
    const withdrawals = appeals.map((appeal) => ({ appealId: appeal.id, answer: post(`${apiUrl}/v1/appeals/${appeal.id}/withdraw`, token, { reason: 'Staff changed their minds.' }) }));
    const opens = [1, 2, 3, 4].map(() => {
      const key = randomUUID();
      return { appealId: appealIdFor('caseworker-1', key), answer: post(`${apiUrl}/v1/appeals`, token, submission('HO'), key) };
    });
    const calls = [...withdrawals, ...opens];
    await waitUntil('every call waits on its workflow', () => Promise.resolve(held.waiting().length === calls.length), 30_000, () => api.exited());

    const stopAsked = Date.now();
    api.signal('SIGTERM');
    // Half of the calls can finish during the grace period; the others cannot.
    const finishing = [withdrawals[0], withdrawals[1], opens[0], opens[1]];
    for (const call of finishing) held.release(call?.appealId ?? '');

    const answers = await Promise.all(calls.map((call) => call.answer.catch((error: Error) => ({ status: 0, contentType: '', body: `no answer: ${error.message} ${String(error.cause)}` }))));
    const exit = await api.exit(GRACE_SECONDS * 1000 + SLACK_MS);
    const tookMs = Date.now() - stopAsked;

    expect(exit, api.output()).to.deep.include({ code: 0, signal: null });
    expect(tookMs).to.be.below(GRACE_SECONDS * 1000 + SLACK_MS);
    calls.forEach((call, index) => {
      const answer = answers[index];
      if (finishing.includes(call)) expect(answer?.status, answer?.body).to.be.oneOf([200, 201]);
      else {
        expect(answer?.status, answer?.body).to.equal(503);
        expect(answer?.contentType).to.match(/^application\/problem\+json/);
      }
    });
    expectQuietStderr(api);
  });

  it('the worker stops within its grace period with a notice being sent and the appeal’s last activity pending, exits 0, and another worker delivers the notice', async () => {
    const queue = newTaskQueue();
    const hook = await startWebhook();
    webhook = hook.server;
    const target = { url: `${hook.url}/appeals`, secret: 'shutdown-test' };
    const workerProcess = spawnEntry(path.join('worker', 'main.ts'), { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS), TEMPORAL_TASK_QUEUE: queue, WEBHOOK_URL: target.url, WEBHOOK_SECRET: target.secret });
    spawned.push(workerProcess);
    const opened = await openAppealOn(queue, 'HO'); // its notices go out through the webhook, which does not answer yet
    await waitUntil('a notice is being delivered', () => Promise.resolve(hook.held.size > 0), 30_000, () => workerProcess.exited());
    const cutShort = [...hook.held];
    // Conceded, the appeal ends: its last activity makes sure of its notices, and is retried while the send is under way.
    const handle = harness().client.workflow.getHandle(appealWorkflowId(opened.id));
    await handle.executeUpdate(respondAsManagerUpdate, { args: [{ actor: { sub: 'manager-1', role: 'manager' }, position: 'concede', statement: 'Agreed.' }] });
    await waitUntil('the last activity is pending', async () => ((await handle.describe()).raw.pendingActivities ?? []).length > 0, 30_000, () => workerProcess.exited());

    const stopAsked = Date.now();
    workerProcess.signal('SIGTERM');
    const exit = await workerProcess.exit(GRACE_SECONDS * 1000 + SLACK_MS);

    expect(exit, workerProcess.output()).to.deep.include({ code: 0, signal: null });
    expect(Date.now() - stopAsked).to.be.below(GRACE_SECONDS * 1000 + SLACK_MS);
    expectQuietStderr(workerProcess);
    // Left by the stopped worker: another worker delivers those notices now (its first sweep, or the activity's retry).
    hook.answer();
    worker = await runWorker(queue, undefined, { webhook: target });
    await waitUntil('the notices cut short are delivered by another worker', () => Promise.resolve(cutShort.every((id) => hook.answered.has(id))), 20_000);
    expect(await handle.result()).to.equal('conceded');
  });
});

/** A webhook receiver that holds every notice unanswered until answer() is called, then takes them (200). */
async function startWebhook(): Promise<{ server: http.Server; url: string; held: Set<string>; answered: Set<string>; answer(): void }> {
  const held = new Set<string>();
  const answered = new Set<string>();
  let answering = false;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: string };
      if (!answering) {
        held.add(id);
        return;
      }
      answered.add(id);
      res.end();
    });
  });
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    held,
    answered,
    answer: () => {
      answering = true;
    },
  };
}
