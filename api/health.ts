import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { documentCall } from './openapi';
import { route } from './route';
import { z } from './schemas';

const ReadinessSchema = z
  .object({ status: z.enum(['ready', 'unavailable']), database: z.boolean(), temporal: z.boolean() })
  .openapi('Readiness');

/** Liveness and readiness: ready when PostgreSQL and Temporal both answer. */
export function healthRoutes(dataSource: DataSource, client: Client): Router {
  return Router()
    .get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    })
    .get(
      '/readyz',
      route(async (_req, res) => {
        const [database, temporal] = await Promise.all([
          dataSource.query('SELECT 1').then(() => true, () => false),
          client.connection
            .withDeadline(Date.now() + 2_000, () => client.workflowService.getSystemInfo({}))
            .then(() => true, () => false),
        ]);
        const ready = database && temporal;
        if (!ready) res.set('Retry-After', '5');
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', database, temporal });
      }),
    );
}

export function registerHealthCalls(registry: OpenAPIRegistry): void {
  const common = { method: 'get', tag: 'Operations', who: 'anyone', problems: [] } as const;
  documentCall(registry, {
    ...common,
    path: '/healthz',
    operationId: 'liveness',
    summary: 'Liveness: the process answers',
    success: { status: 200, description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
  });
  documentCall(registry, {
    ...common,
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: PostgreSQL and Temporal both reachable (503 otherwise)',
    success: { status: 200, description: 'Ready', schema: ReadinessSchema },
    otherAnswers: { 503: { description: 'Not ready: which dependency is down (Retry-After set)', schema: ReadinessSchema } },
  });
  documentCall(registry, {
    ...common,
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics: requests by route and status, latencies, appeals by status',
    success: { status: 200, description: 'The Prometheus text format', schema: z.string(), contentType: 'text/plain' },
  });
}
