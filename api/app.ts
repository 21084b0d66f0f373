import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { appealRoutes } from './appeals/routes';
import { AppealService } from './appeals/service';
import { arbiterRoutes } from './arbiters/routes';
import { authenticate } from './auth/authenticate';
import './context';
import { departmentRoutes } from './departments/routes';
import { AppError, errorHandler, notFound } from './errors';
import { healthRoutes } from './health';

export interface AppDependencies {
  dataSource: DataSource;
  client: Client;
  config: Config;
  logger: Logger;
}

export const BODY_LIMIT = '64kb';

export function createApp({ dataSource, client, config, logger }: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(logger));
  app.use(healthRoutes(dataSource, client));

  const v1 = express.Router();
  v1.use(requireJsonBody, express.json({ limit: BODY_LIMIT, strict: false }));
  v1.use(authenticate(config.auth));
  v1.use('/appeals', appealRoutes(new AppealService({ dataSource, client, taskQueue: config.temporal.taskQueue })));
  v1.use('/arbiters', arbiterRoutes(dataSource));
  v1.use('/departments', departmentRoutes(dataSource));
  app.use('/v1', v1);

  app.use((req, _res, next) => next(notFound(`No route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

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

/** Writes carry JSON: any other body is refused with 415 before it is read. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== undefined ? Number(req.get('content-length')) > 0 : req.get('transfer-encoding') !== undefined;
  if (!hasBody || req.is('application/json') || req.is('application/*+json')) {
    next();
    return;
  }
  next(new AppError(415, 'Unsupported media type', 'Send the body as application/json'));
};
