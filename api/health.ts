import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { route } from './route';

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
        res.status(database && temporal ? 200 : 503).json({ status: database && temporal ? 'ready' : 'unavailable', database, temporal });
      }),
    );
}
