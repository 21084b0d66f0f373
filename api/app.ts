import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { appealCalls } from './appeals/calls';
import { AppealService } from './appeals/service';
import { arbiterCalls } from './arbiters/calls';
import { ArbiterService } from './arbiters/service';
import { identify, requireCaller } from './auth/authenticate';
import { jsonBody, requireJsonBody } from './body';
import { calendarCalls } from './calendars/calls';
import { checkpointAdminCalls } from './checkpoints/calls';
import { CalendarService } from './calendars/service';
import { callRouter } from './calls';
import './context';
import { departmentCalls } from './departments/calls';
import { appealDocumentCalls } from './documents/calls';
import { ClamdScanner, NO_VIRUS_SCANNER } from './documents/scanner';
import { DocumentService } from './documents/service';
import { createDocumentStore } from '../db/document-store';
import { DepartmentService } from './departments/service';
import { createOpenApiDocument, docsRoutes } from './docs';
import { errorHandler, notFound } from './errors';
import { healthCalls } from './health';
import { createMetrics } from './metrics';
import { pathTemplates } from './openapi';
import { publicApi } from './public/router';
import { rateLimitPerCaller } from './rate-limit';
import { reportCalls } from './reports/calls';
import { ReportService } from './reports/service';
import { webPages } from '../web/app';

export interface AppDependencies {
  dataSource: DataSource;
  client: Client;
  config: Config;
  logger: Logger;
  /** Aborted when the API stops and its grace period is over: action calls still waiting answer 503. */
  stopping?: AbortSignal;
}

/**
 * The API. Every /v1 call goes: identify the caller, rate limit (per sub, else address), refuse
 * anonymous callers (401), refuse non-JSON (415), oversized (413) and ill-formed (400: not UTF-8, too
 * deep, a repeated key; api/body.ts) bodies of writes, then the call as its feature's table declares
 * it (api/<feature>/calls.ts): authorise, parse, call the service, answer. Every error leaves through
 * `errorHandler`. Everything outside /v1 (and the operations calls) is the pages of web/, with their
 * own error pages.
 */
export function createApp({ dataSource, client, config, logger, stopping }: AppDependencies): express.Express {
  const document = createOpenApiDocument();
  const metrics = createMetrics(dataSource, pathTemplates(document));
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy);
  app.use(requestContext(logger), metrics.measure, securityHeaders);
  app.use(callRouter(healthCalls, { dataSource, client, metrics }), docsRoutes(document));
  app.use('/v1/public', publicApi({ dataSource, client, config }));

  const v1 = express.Router();
  v1.use(identify(config.auth), rateLimitPerCaller(config.rateLimitPerMinute), requireCaller);
  const appeals = new AppealService({ dataSource, client, taskQueue: config.temporal.taskQueue, actionTimeoutMs: config.actionTimeoutMs, stopping });
  const { clamav, store, maxBytes } = config.documents;
  const scanner = clamav ? new ClamdScanner(clamav) : NO_VIRUS_SCANNER;
  const documents = new DocumentService({ dataSource, appeals, store: createDocumentStore(store, dataSource), scanner, maxBytes });
  // Uploads stream their multipart bodies: routed before the JSON body checks.
  v1.use(callRouter(appealDocumentCalls, documents, '/v1'));
  v1.use(readsBody(requireJsonBody), readsBody(jsonBody));
  const calendars = new CalendarService({ dataSource, client, taskQueue: config.temporal.taskQueue, schema: config.databaseSchema });
  const services = { appeals, documents, arbiters: new ArbiterService(dataSource), departments: new DepartmentService(dataSource), reports: new ReportService(dataSource) };
  // A calendar change whose recalculation never started (the API stopped in between) starts now.
  calendars.recalculatePending().catch((error: unknown) => logger.warn({ err: error }, 'calendar recalculations not resumed'));
  v1.use(
    callRouter(calendarCalls, calendars, '/v1'),
    callRouter(checkpointAdminCalls, { dataSource, client, config }, '/v1'),
    callRouter(appealCalls, appeals, '/v1'),
    callRouter(arbiterCalls, services.arbiters, '/v1'),
    callRouter(departmentCalls, services.departments, '/v1'),
    callRouter(reportCalls, services.reports, '/v1'),
  );
  app.use('/v1', v1);
  app.use(webPages({ dataSource, client, ...services, config, logger }));

  app.use((req, _res, next) => next(notFound(`No route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/**
 * helmet's defaults, except `upgrade-insecure-requests`, which would break /docs served over
 * plain HTTP on a laptop (TLS is the load balancer's job; HSTS still tells browsers to use it).
 */
export const securityHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

/** A request id (from X-Request-Id or new) on every log line and error, and a log line per request. */
function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    req.id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.set('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      req.log.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms }, 'request');
    });
    next();
  };
}

/** Only writes read a body; one sent with a GET is ignored, never parsed. */
const readsBody =
  (handler: RequestHandler): RequestHandler =>
  (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') next();
    else handler(req, res, next);
  };
