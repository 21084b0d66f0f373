import type { ErrorRequestHandler } from 'express';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { REFUSALS } from '../workflows/shared';

export interface FieldProblem {
  path: string;
  message: string;
}

/** The one error type of the API: rendered as RFC 9457 problem+json by `errorHandler`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    options?: { cause?: unknown; errors?: FieldProblem[]; headers?: Record<string, string> },
  ) {
    super(detail ?? title, { cause: options?.cause });
    this.errors = options?.errors;
    this.headers = options?.headers;
  }
  readonly errors?: FieldProblem[];
  readonly headers?: Record<string, string>;
}

export const badRequest = (detail: string, errors?: FieldProblem[]) => new AppError(400, 'Invalid request', detail, { errors });
export const unauthorized = (detail: string) =>
  new AppError(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail: string) => new AppError(403, 'Forbidden', detail);
export const notFound = (detail = 'No such resource') => new AppError(404, 'Not found', detail);
export const conflict = (detail: string) => new AppError(409, 'Conflict', detail);
export const unprocessable = (detail: string, errors?: FieldProblem[]) =>
  new AppError(422, 'Business rule violated', detail, { errors });
export const unavailable = (detail: string, cause?: unknown) => new AppError(503, 'Service unavailable', detail, { cause });

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
    if (status) return new AppError(status, titleFor(status), error.cause.message, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError) return new AppError(404, 'Not found', 'No such appeal', { cause: error });
  const bodyError = bodyParserError(error);
  if (bodyError) return bodyError;
  if (isConnectionError(error)) return unavailable('A dependency is unavailable; try again shortly', error);
  return new AppError(500, 'Internal server error', 'Something went wrong; the request id identifies it in the logs', { cause: error });
}

function titleFor(status: number): string {
  return status === 409 ? 'Conflict' : status === 422 ? 'Business rule violated' : 'Forbidden';
}

function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: string }).type) {
    case 'entity.parse.failed':
      return badRequest('The body is not valid JSON');
    case 'entity.too.large':
      return new AppError(413, 'Payload too large', 'The body is larger than the 64 KiB limit');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'Unsupported media type', 'Send the body as UTF-8 JSON');
    default:
      return undefined;
  }
}

function isConnectionError(error: unknown): boolean {
  const text = String((error as { code?: unknown })?.code ?? '') + ' ' + String((error as Error)?.message ?? '');
  return /ECONNREFUSED|ETIMEDOUT|Connection terminated|UNAVAILABLE|connect ECONN/i.test(text);
}

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.status >= 500) req.log?.error({ err: error }, 'request failed');
  res
    .status(appError.status)
    .set({ 'Content-Type': 'application/problem+json', ...appError.headers })
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: appError.title,
        status: appError.status,
        detail: appError.detail,
        instance: req.originalUrl,
        requestId: req.id,
        ...(appError.errors ? { errors: appError.errors } : {}),
      }),
    );
};
