/**
 * The load process of `npm run bench -- --e2e`, apart from every server it measures:
 * `node --import tsx bench/load.ts '<LoadPlan as JSON>'`. It runs a warm-up, prints
 * `{"phase":"measuring"}`, runs the measured part, prints `{"phase":"measured"}` and then
 * `{"phase":"done","result":…}`, each a line of JSON on stdout, so that the caller samples the
 * servers' CPU around the measured part only.
 * HTTP load is autocannon's. The other kinds are closed loops, as many as the concurrency, each
 * taking one unit after another: an appeal's whole lifecycle over the engine's API, or the Temporal
 * baseline's workflow (opened only, or taken through the same number of steps) driven by a client here.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { BASELINE_TASK_QUEUE, BASELINE_WORKFLOW, baselineStepUpdates, openBaselineUpdate } from './baseline-shared';
import { runToExit } from './process';

export type LoadPlan = (HttpLoad | LifecycleLoad | TemporalLoad) & { connections: number; warmupSeconds: number; seconds: number };

export interface HttpLoad {
  kind: 'http';
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** For GET: the paths to spread the requests over, one picked at random per request. */
  paths?: string[];
}

/** Each unit: one appeal opened, contested, given an arbiter and a hearing, heard and dismissed. */
export interface LifecycleLoad {
  kind: 'lifecycle';
  url: string;
  submission: object;
  /** Bearer tokens: a caseworker, a manager of the submission's department, the arbiter `arbiterId`. */
  tokens: { caseworker: string; manager: string; arbiter: string };
  arbiterId: string;
}

export interface TemporalLoad {
  kind: 'temporal';
  address: string;
  namespace: string;
  /** Each unit: the baseline workflow opened, or opened and taken through every later step. */
  unit: 'open' | 'lifecycle';
}

export interface LoadResult {
  /** Units done in the measured part: requests, or lifecycles (closed loops count a unit by its share inside the part). */
  requests: number;
  seconds: number;
  perSecond: number;
  /** Null when no unit ended inside the measured part. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Connection errors, timeouts, non-2xx answers, failed updates; a lifecycle with any of them. */
  failures: number;
}

const report = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function http(plan: HttpLoad & { connections: number }, seconds: number): Promise<LoadResult> {
  const { paths } = plan;
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: seconds,
    method: plan.method,
    headers: plan.headers,
    body: plan.body,
    requests: paths ? [{ setupRequest: (request) => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)] }) }] : undefined,
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    perSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

function percentile(sorted: number[], fraction: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** One unit a closed loop took: when it started and ended (performance.now()), and whether it failed. */
interface Unit {
  started: number;
  ended: number;
  failed: boolean;
}

/**
 * Closed loops that run through the warm-up and the measured part without a pause, so that the
 * measured part sees a steady concurrency even when a unit takes seconds. After it, the loops
 * finish the unit in hand, and the result is worked out (measuredPart).
 */
async function loops(plan: LoadPlan, unit: () => Promise<void>): Promise<void> {
  const units: Unit[] = [];
  let stopping = false;
  let failedBefore = false;
  const loop = async (): Promise<void> => {
    while (!stopping) {
      const started = performance.now();
      let failed = false;
      try {
        await unit();
      } catch (error) {
        // The first failure's reason, so that a table of failures can be explained.
        if (!failedBefore) process.stderr.write(`First failure: ${(error as Error).message}\n`);
        failedBefore = true;
        failed = true;
      }
      units.push({ started, ended: performance.now(), failed });
    }
  };
  const running = Promise.all(Array.from({ length: plan.connections }, loop));
  await sleep(plan.warmupSeconds * 1000);
  const from = performance.now();
  report({ phase: 'measuring' });
  await sleep(plan.seconds * 1000);
  const until = performance.now();
  report({ phase: 'measured' });
  stopping = true;
  await running;
  report({ phase: 'done', result: measuredPart(units, from, until) });
}

/**
 * What the units did between `from` and `until`. A unit that succeeded counts by the share of it
 * inside: loops that start together and take seconds a unit stay in step, and counting whole
 * units that end inside would make the rate jump by a unit per loop. Latencies and failures are
 * those of the units that end inside.
 */
function measuredPart(units: Unit[], from: number, until: number): LoadResult {
  const share = (unit: Unit): number => Math.max(0, Math.min(unit.ended, until) - Math.max(unit.started, from)) / Math.max(unit.ended - unit.started, Number.EPSILON);
  const endsInside = (unit: Unit): boolean => unit.ended >= from && unit.ended < until;
  const succeeded = units.filter((unit) => !unit.failed);
  const requests = succeeded.reduce((sum, unit) => sum + share(unit), 0);
  const latencies = succeeded
    .filter(endsInside)
    .map((unit) => unit.ended - unit.started)
    .sort((a, b) => a - b);
  const seconds = (until - from) / 1000;
  return { requests, seconds, perSecond: requests / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), failures: units.filter((unit) => unit.failed && endsInside(unit)).length };
}

/** A weak business case: financial viability 1 of 4, which a dismissal rests on. */
const WEAK_CASE = { financialViability: 1, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3 };
const DAY_MS = 86_400_000;

/** POSTs a JSON body as the token's bearer; anything but 2xx is an error. Answers the JSON answer. */
async function post<T>(url: string, token: string, body: object): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

async function appealLifecycle(plan: LifecycleLoad): Promise<void> {
  const { tokens } = plan;
  const { id } = await post<{ id: string }>(`${plan.url}/v1/appeals`, tokens.caseworker, plan.submission);
  const steps: [action: string, token: string, body: object][] = [
    ['manager-response', tokens.manager, { position: 'contest', statement: 'We gave it due consideration.' }],
    ['arbiter', tokens.caseworker, { arbiterId: plan.arbiterId }],
    ['hearing', tokens.caseworker, { scheduledFor: new Date(Date.now() + DAY_MS).toISOString(), location: 'Room 101, Petty France' }],
    ['hearing/outcome', tokens.arbiter, { outcome: 'held', notes: 'Both sides heard.' }],
    ['decision', tokens.arbiter, { outcome: 'dismiss', assessment: WEAK_CASE, reasons: 'The finances do not hold up.' }],
  ];
  for (const [action, token, body] of steps) await post(`${plan.url}/v1/appeals/${id}/${action}`, token, body);
}

/** Opens one baseline workflow with update-with-start; answers its workflow id. */
async function openBaseline(client: Client): Promise<string> {
  const id = randomUUID();
  const workflowId = `bench-baseline-${id}`;
  const startWorkflowOperation = new WithStartWorkflowOperation(BASELINE_WORKFLOW, {
    workflowId,
    taskQueue: BASELINE_TASK_QUEUE,
    args: [],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await client.workflow.executeUpdateWithStart(openBaselineUpdate, { args: [{ id }], startWorkflowOperation });
  return workflowId;
}

async function baselineLifecycle(client: Client): Promise<void> {
  const workflow = client.workflow.getHandle(await openBaseline(client));
  for (const update of baselineStepUpdates) await workflow.executeUpdate(update);
}

async function run(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
  if (plan.kind === 'http') {
    await http(plan, plan.warmupSeconds);
    report({ phase: 'measuring' });
    const result = await http(plan, plan.seconds);
    report({ phase: 'measured' });
    report({ phase: 'done', result });
    return;
  }
  if (plan.kind === 'lifecycle') return loops(plan, () => appealLifecycle(plan));
  const connection = await Connection.connect({ address: plan.address });
  try {
    const client = new Client({ connection, namespace: plan.namespace });
    await loops(plan, plan.unit === 'open' ? () => openBaseline(client).then(() => undefined) : () => baselineLifecycle(client));
  } finally {
    await connection.close();
  }
}

runToExit(run);
