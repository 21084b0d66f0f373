/**
 * The load process of `npm run bench -- --e2e`, apart from every server it measures:
 * `node --import tsx bench/load.ts '<LoadPlan as JSON>'`. It runs a warm-up, prints
 * `{"phase":"measuring"}`, runs the measured part and prints `{"phase":"done","result":…}`, each
 * a line of JSON on stdout, so that the caller samples the servers' CPU around the measured part only.
 * HTTP load is autocannon's; the Temporal baseline is driven by a client here, with the same
 * concurrency: that many loops, each opening one baseline workflow after another.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { BASELINE_TASK_QUEUE, BASELINE_WORKFLOW, openBaselineUpdate } from './baseline-shared';
import { runToExit } from './process';

export type LoadPlan = (HttpLoad | TemporalLoad) & { connections: number; warmupSeconds: number; seconds: number };

export interface HttpLoad {
  kind: 'http';
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** For GET: the paths to spread the requests over, one picked at random per request. */
  paths?: string[];
}

export interface TemporalLoad {
  kind: 'temporal';
  address: string;
  namespace: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts, non-2xx answers, failed updates. */
  failures: number;
}

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

function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function temporal(client: Client, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const id = randomUUID();
      const startWorkflowOperation = new WithStartWorkflowOperation(BASELINE_WORKFLOW, {
        workflowId: `bench-baseline-${id}`,
        taskQueue: BASELINE_TASK_QUEUE,
        args: [],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const sent = performance.now();
      try {
        await client.workflow.executeUpdateWithStart(openBaselineUpdate, { args: [{ id }], startWorkflowOperation });
        latencies.push(performance.now() - sent);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), failures };
}

const report = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function run(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
  if (plan.kind === 'http') {
    await http(plan, plan.warmupSeconds);
    report({ phase: 'measuring' });
    report({ phase: 'done', result: await http(plan, plan.seconds) });
    return;
  }
  const connection = await Connection.connect({ address: plan.address });
  try {
    const client = new Client({ connection, namespace: plan.namespace });
    await temporal(client, plan.connections, plan.warmupSeconds);
    report({ phase: 'measuring' });
    report({ phase: 'done', result: await temporal(client, plan.connections, plan.seconds) });
  } finally {
    await connection.close();
  }
}

runToExit(run);
