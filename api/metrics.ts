import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { APPEAL_STATUSES } from '../domain/lifecycle';

export interface ApiMetrics {
  /** Counts and times every request, labelled by route template (never the raw URL), method and status. */
  measure: RequestHandler;
  /** The answer to GET /metrics: the Prometheus text format. */
  scrape(): Promise<{ contentType: string; text: string }>;
}

/**
 * Prometheus metrics of one app: a registry of its own (tests run several apps in one process),
 * process defaults, HTTP requests by route and status, and appeals by status read from
 * PostgreSQL at every scrape.
 */
export function createMetrics(dataSource: DataSource, routeOf: (path: string) => string | undefined): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'appeals_by_status',
    help: 'Appeals in each status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await dataSource
        .query<{ status: string; n: number }[]>(`SELECT status, count(*)::int AS n FROM appeals GROUP BY status`)
        .catch(() => undefined);
      if (!rows) return; // the database is down: readiness says so; keep the rest of the scrape
      for (const status of APPEAL_STATUSES) this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });

  const measure: RequestHandler = (req, res, next) => {
    const stop = latency.startTimer();
    const route = routeOf(req.path) ?? 'unmatched'; // now, before routers rewrite req.url
    res.on('finish', () => {
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };

  const scrape = async () => ({ contentType: registry.contentType, text: await registry.metrics() });
  return { measure, scrape };
}
