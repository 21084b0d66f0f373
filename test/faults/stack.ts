/**
 * One scenario's API and worker, on a task queue of their own, that the scenario kills and
 * restarts, and the client that calls the API (stopped with them, so no call outlives its scenario).
 */
import { expect } from 'chai';
import { ApiClient } from './client';
import type { InvariantCheck } from './invariants';
import { report } from './report';
import { apiUrlOf, findFreePort, newTaskQueue, startApi, startWorker, type AppProcess } from './system';

export interface StackOptions {
  workerEnv?: Record<string, string>;
  apiEnv?: Record<string, string>;
  /** The API's ACTION_TIMEOUT_SECONDS; the suite's default is low, so held-up calls answer 503 quickly. */
  actionTimeoutSeconds?: number;
}

export class Stack {
  /** Workers started so far, the first included (each restart adds one). */
  workerStarts = 1;
  readonly client: ApiClient;
  /** Every API process of the stack, restarts included, for their logs. */
  private readonly apis: AppProcess[] = [];

  private constructor(
    readonly taskQueue: string,
    readonly port: number,
    private readonly options: StackOptions,
    public api: AppProcess,
    public worker: AppProcess,
  ) {
    this.client = new ApiClient(apiUrlOf(port), options.actionTimeoutSeconds);
    this.apis.push(api);
  }

  static async start(scenario: string, options: StackOptions = {}): Promise<Stack> {
    const taskQueue = newTaskQueue(scenario);
    const port = await findFreePort();
    const [api, worker] = await Promise.all([
      startApi({ taskQueue, port, env: options.apiEnv, actionTimeoutSeconds: options.actionTimeoutSeconds }),
      startWorker({ taskQueue, env: options.workerEnv }),
    ]);
    return new Stack(taskQueue, port, options, api, worker);
  }

  /** The API's address; the same across restarts, so a client retries where it called. */
  get url(): string {
    return apiUrlOf(this.port);
  }

  async restartWorker(): Promise<void> {
    this.worker = await startWorker({ taskQueue: this.taskQueue, env: this.options.workerEnv });
    this.workerStarts += 1;
  }

  async restartApi(): Promise<void> {
    const { apiEnv, actionTimeoutSeconds } = this.options;
    this.api = await startApi({ taskQueue: this.taskQueue, port: this.port, env: apiEnv, actionTimeoutSeconds });
    this.apis.push(this.api);
  }

  /**
   * The answers the contract forbids, grouped by call and by the cause the API logged for them
   * (found by request id), e.g. "3 × POST /v1/appeals/{id}/hearing answered 500 (WorkflowUpdateRPCTimeoutOrCancelledError: ...)".
   */
  defects(): string[] {
    const causes = loggedErrors(this.apis.map((api) => api.log()).join('\n'));
    const groups = new Map<string, number>();
    for (const defect of this.client.traffic.defects) {
      const cause = defect.requestId ? causes.get(defect.requestId) : undefined;
      const key = cause ? `${defect.what} (${cause})` : defect.what;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    return [...groups].map(([what, count]) => `${count} × ${what}`);
  }

  async stop(): Promise<void> {
    this.client.stop();
    await Promise.all([this.api.stop(), this.worker.stop()]);
  }
}

/** The errors the API logged (pino JSON lines), by request id, as "Type: message". */
function loggedErrors(logs: string): Map<string, string> {
  const causes = new Map<string, string>();
  for (const line of logs.split('\n')) {
    if (!line.includes('"err"')) continue;
    try {
      const { reqId, err } = JSON.parse(line) as { reqId?: string; err?: { type?: string; message?: string } };
      // Durations and ids vary from one request to the next: leave them out so causes group.
      const message = (err?.message ?? '').replace(/[0-9a-f-]{36}/g, '{id}').replace(/\d+(\.\d+)?s?\b/g, 'N').slice(0, 140);
      if (reqId && err) causes.set(reqId, `${err.type}: ${message}`);
    } catch {
      // Not a log line of the API's (e.g. a stack trace printed by something else).
    }
  }
  return causes;
}

/**
 * For a scenario's describe block: its own stack, started before its tests and stopped after
 * them whatever happened. `options` is read when the stack starts (after earlier before hooks).
 * Answers an accessor for the tests.
 */
export function withStack(scenario: string, options: () => StackOptions = () => ({})): () => Stack {
  let stack: Stack | undefined;
  before(async function () {
    this.timeout(180_000);
    stack = await Stack.start(scenario, options());
  });
  after(async function () {
    this.timeout(60_000);
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error(`the ${scenario} stack is not running`);
    return stack;
  };
}

/**
 * Print a scenario's numbers (what it drove, the traffic, the invariants checked), then fail on
 * any broken invariant or any answer the contract forbids.
 */
export function conclude(title: string, stack: Stack, check: InvariantCheck, numbers: Record<string, number | string>): void {
  report(title, { ...numbers, ...stack.client.traffic.summary(), ...check.numbers });
  expect(check.problems, 'broken invariants').to.deep.equal([]);
  expect(stack.defects(), 'answers the contract forbids').to.deep.equal([]);
}
