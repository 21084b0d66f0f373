import type { ErrorRequestHandler, RequestHandler } from 'express';
import { notFound, toAppError } from '../api/errors';

/** Any path no page answers: the 404 page. */
export const pageNotFound: RequestHandler = (req, _res, next) => {
  next(notFound(`No page ${req.path}`));
};

const PAGES: Record<number, string> = { 403: 'forbidden', 404: 'not-found', 503: 'unavailable' };

/** The last resort when even the error page cannot be rendered. */
const BARE_PROBLEM = '<!DOCTYPE html><html lang="en"><head><title>Sorry, there is a problem with the service</title></head><body><main><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></main></body></html>';

/**
 * The error pages, through the API's own classification (toAppError): 404 (a missing page or
 * appeal, and alike one out of the person's scope), 403 (a form refused: its CSRF token missing or
 * stale), 503 (a dependency away: try again), 400 for other bad requests, 500 for anything else.
 * None shows a stack trace, SQL or an error's message: only the request id, which finds it in the logs.
 */
export function pageErrorHandler(isCsrfError: (error: unknown) => boolean): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = isCsrfError(error) ? 403 : toAppError(error).status;
    const shown = status >= 500 && status !== 503 ? 500 : status;
    if (status >= 500) req.log.error({ err: error }, 'page failed');
    if (status === 503) res.set('Retry-After', '5');
    const page = PAGES[shown] ?? (shown < 500 ? 'bad-request' : 'problem');
    res.status(shown).render(`errors/${page}`, { requestId: req.id }, (renderError: Error | null, html?: string) => {
      if (renderError) req.log.error({ err: renderError }, 'error page failed');
      res.type('html').send(renderError ? BARE_PROBLEM : html);
    });
  };
}
