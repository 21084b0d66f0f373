/** The operations calls: liveness, readiness (PostgreSQL and Temporal both answer) and metrics. */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { callsOf } from './calls';
import type { ApiMetrics } from './metrics';
import { z } from './schemas';

export interface HealthDeps {
  dataSource: DataSource;
  client: Client;
  metrics: ApiMetrics;
}

const ReadinessSchema = z
  .object({ status: z.enum(['ready', 'unavailable']), database: z.boolean(), temporal: z.boolean() })
  .openapi('Readiness');

const call = callsOf<HealthDeps>();
const common = { method: 'get', tag: 'Operations', roles: 'anyone' } as const;

export const healthCalls = [
  call({
    ...common,
    path: '/healthz',
    operationId: 'liveness',
    summary: 'Liveness: the process answers',
    success: { status: 200, description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
    handle: () => ({ body: { status: 'ok' } }),
  }),
  call({
    ...common,
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: PostgreSQL and Temporal both reachable (503 otherwise)',
    success: { status: 200, description: 'Ready', schema: ReadinessSchema },
    otherAnswers: { 503: { description: 'Not ready: which dependency is down (Retry-After set)', schema: ReadinessSchema } },
    async handle(_input, { dataSource, client }) {
      const [database, temporal] = await Promise.all([
        dataSource.query('SELECT 1').then(() => true, () => false),
        client.connection
          .withDeadline(Date.now() + 2_000, () => client.workflowService.getSystemInfo({}))
          .then(() => true, () => false),
      ]);
      const ready = database && temporal;
      const body = { status: ready ? 'ready' : 'unavailable', database, temporal };
      return ready ? { body } : { status: 503, headers: { 'Retry-After': '5' }, body };
    },
  }),
  call({
    ...common,
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics: requests by route and status, latencies, appeals by status',
    success: { status: 200, description: 'The Prometheus text format', schema: z.string(), contentType: 'text/plain' },
    async handle(_input, { metrics }) {
      const { contentType, text } = await metrics.scrape();
      return { headers: { 'Content-Type': contentType }, body: text };
    },
  }),
];
