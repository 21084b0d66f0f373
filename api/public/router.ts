import { Router, type RequestHandler } from 'express';
import { callRouter } from '../calls';
import { notFound } from '../errors';
import { rateLimitPerCaller } from '../rate-limit';
import { publicCalls } from './calls';
import { PUBLIC_MAX_AGE_SECONDS, type PublicDeps } from './register';

/** May be kept by any cache for a minute; Express's ETag lets a client ask again for nothing (304). */
const cacheable: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
  next();
};

/** /v1/public: no token read or needed, rate limited per address. */
export function publicApi(deps: PublicDeps): Router {
  return Router()
    .use(rateLimitPerCaller(deps.config.rateLimitPerMinute), cacheable)
    .use(callRouter(publicCalls, deps, '/v1/public'))
    .use((req, _res, next) => next(notFound(`No route ${req.method} ${req.originalUrl.split('?')[0]}`)));
}
