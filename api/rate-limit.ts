import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { tooManyRequests } from './errors';

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` calls a minute per caller: the verified token's `sub`, else the address.
 * 0 turns it off. Over the limit: 429 problem+json with Retry-After. Counts are kept in this
 * process (each API instance counts its own callers).
 */
export function rateLimitPerCaller(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (req.caller ? `sub:${req.caller.sub}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`),
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + WINDOW_MS;
      next(tooManyRequests(Math.max(1, Math.ceil((resetTime - Date.now()) / 1000))));
    },
  });
}
