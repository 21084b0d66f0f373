import type { ErrorRequestHandler } from 'express';
import { ApplicationFailure } from '@temporalio/common';
import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { REFUSALS } from '../workflows/shared';

export interface FieldProblem {
  path: string;
  message: string;
}

/** The one error type of the API: rendered as RFC 9457 problem+json by `errorHandler`; its title follows from the status. */
export class AppError extends Error {
  readonly title: string;
  readonly errors?: FieldProblem[];
  readonly headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly detail: string,
    options?: { cause?: unknown; errors?: FieldProblem[]; headers?: Record<string, string> },
  ) {
    super(detail, { cause: options?.cause });
    this.title = titleFor(status);
    this.errors = options?.errors;
    this.headers = options?.headers;
  }
}

export const badRequest = (detail: string, errors?: FieldProblem[]) => new AppError(400, detail, { errors });
export const unauthorized = (detail: string) => new AppError(401, detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail: string) => new AppError(403, detail);
export const notFound = (detail = 'No such resource') => new AppError(404, detail);
export const conflict = (detail: string, cause?: unknown) => new AppError(409, detail, { cause });
export const unprocessable = (detail: string, errors?: FieldProblem[]) => new AppError(422, detail, { errors });
export const unavailable = (detail: string, cause?: unknown) => new AppError(503, detail, { cause, headers: { 'Retry-After': '5' } });
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, `Slow down: try again in ${retryAfterSeconds} s`, { headers: { 'Retry-After': String(retryAfterSeconds) } });

/** The largest body a call takes; larger ones are refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Business rule violated',
  429: 'Too many requests',
  431: 'Request header fields too large',
  503: 'Service unavailable',
};
function titleFor(status: number): string {
  return TITLES[status] ?? (status < 500 ? 'Invalid request' : 'Internal server error');
}

const REFUSAL_STATUS: Record<string, number> = {
  [REFUSALS.conflict]: 409,
  [REFUSALS.businessRule]: 422,
  [REFUSALS.forbidden]: 403,
};

/** Translate what Temporal and the body parser throw into AppErrors. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const status = REFUSAL_STATUS[error.cause.type ?? ''];
    if (status) return new AppError(status, error.cause.message, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError) return new AppError(404, 'No such appeal', { cause: error });
  if (isTemporalAwayOrSlow(error)) {
    return unavailable('A dependency is unavailable or slow; try again shortly. An action may still take effect: read the appeal, or repeat the call with the same Idempotency-Key', error);
  }
  const bodyError = bodyParserError(error) ?? clientError(error);
  if (bodyError) return bodyError;
  if (isConnectionError(error)) return unavailable('A dependency is unavailable; try again shortly', error);
  return new AppError(500, 'Something went wrong; the request id identifies it in the logs', { cause: error });
}

/** gRPC status codes of a call that failed because Temporal is away, overloaded or slow: worth repeating. */
const GRPC_AWAY_OR_SLOW = new Set([
  1, // CANCELLED
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

/**
 * Temporal refuses updates while an appeal's workflow task is failing, e.g. until another worker
 * retries the task of one that died mid-task: it says so with FAILED_PRECONDITION and this message.
 */
const GRPC_FAILED_PRECONDITION = 9;
const WORKFLOW_NOT_READY = /Workflow Task in failed state/i;

/**
 * A Temporal call that timed out, was cancelled, could not get through, or met a workflow not
 * ready for it yet, however the client wrapped it (an update call timed out or cancelled, a
 * ServiceError, the gRPC error itself).
 */
function isTemporalAwayOrSlow(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (!isGrpcServiceError(cause)) continue;
    if (GRPC_AWAY_OR_SLOW.has(cause.code)) return true;
    if ((cause.code as number) === GRPC_FAILED_PRECONDITION && WORKFLOW_NOT_READY.test(cause.message)) return true;
  }
  return false;
}

function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: string }).type) {
    case 'entity.parse.failed':
      return badRequest('The body is not valid JSON', [{ path: 'body', message: String((error as { message?: unknown }).message) }]);
    case 'entity.too.large':
      return new AppError(413, `The body is larger than the ${BODY_LIMIT_BYTES / 1024} KiB limit`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'Send the body as UTF-8 JSON');
    default:
      return undefined;
  }
}

/**
 * Any other 4xx the HTTP layer raises (body-parser's aborted or mis-sized bodies, undecodable
 * gzip, a path parameter that is not valid percent-encoding): the client's fault, never a 500.
 */
function clientError(error: unknown): AppError | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const expose = (error as { expose?: unknown }).expose === true;
  return new AppError(status, expose ? (error as Error).message : 'The request could not be read', { cause: error });
}

/** PostgreSQL or Temporal out of reach: connection refused, reset or timed out, or a server going away. */
function isConnectionError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && /^(08|57P0[1-3])/.test(code)) return true; // PostgreSQL connection exceptions
  const text = `${typeof code === 'string' ? code : ''} ${typeof message === 'string' ? message : ''}`;
  const down = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|timeout exceeded when trying to connect|UNAVAILABLE|DEADLINE_EXCEEDED/i;
  return down.test(text) || isConnectionError(cause, depth + 1);
}

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const appError = toAppError(error);
  if (appError.status >= 500) req.log?.error({ err: error }, 'request failed');
  res
    .status(appError.status)
    .set({ 'Content-Type': 'application/problem+json', ...appError.headers })
    .send(problemJson(appError, { instance: req.originalUrl, requestId: req.id }));
};

/** The RFC 9457 problem+json body of an error: the one rendering of every refusal, in Express or below it. */
export function problemJson(appError: AppError, context: { instance?: string; requestId: string }): string {
  return JSON.stringify({
    type: 'about:blank',
    title: appError.title,
    status: appError.status,
    detail: appError.detail,
    instance: context.instance,
    requestId: context.requestId,
    ...(appError.errors ? { errors: appError.errors } : {}),
  });
}
