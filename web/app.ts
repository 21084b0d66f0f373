/**
 * The pages: server-rendered, on the same Express app as the API (which keeps /v1), for the
 * people who work appeals. How to build on it:
 *
 * - A page is a route in a feature folder (`web/<feature>/routes.ts`, a Router like
 *   `web/appeals/routes.ts`) mounted below in createWebApp, and a Nunjucks template in
 *   `web/views/<feature>/` that `{% extends "layout.njk" %}`, sets `pageTitle` and fills
 *   `{% block content %}`. GOV.UK Frontend's macros are imported as `govuk/components/…/macro.njk`,
 *   MOJ Frontend's as `moj/components/…/macro.njk`. Words for the engine's codes come from
 *   `web/labels.ts` through filters (`statusName`, `actionName`, `ukDateTime`, …, web/views.ts):
 *   every date is shown in UK local time. Add the page to the service navigation in web/navigation.ts.
 * - Every route after `requireSignIn` has `req.caller`: the signed-in person as the same Caller the
 *   API builds from a token. Call the service layer with it (`appeals.findVisible(caller, id)`,
 *   `appeals.act(caller, …)`, as the API's handlers do), never the database around it, so scoping,
 *   refusals and rules are the API's. Who may take which action is `domain/actions.ts`.
 * - Every form is an `answerFlow` (web/answer-flow.ts): it POSTs (urlencoded) to its own page's
 *   path with the CSRF token (`<input type="hidden" name="_csrf" value="{{ csrfToken }}">`; every
 *   POST without it is refused with the 403 page). Field names are the API body's paths
 *   (`parentBody.name`), ids their `fieldId`; date inputs are read by web/dates.ts (`dateAnswer`).
 *   The flow builds the API body from the fields (`fromForm`), validates it with the API's zod
 *   schema, shows "Check your answers" when it has a check view, calls the service (`submit`), and
 *   redirects (303) to the page it answers (post/redirect/get), with a success banner there when
 *   `submit` leaves one (`flashFor`, web/flash.ts). A refusal (400, 403, 409, 422) comes back as the
 *   GOV.UK error summary, each field's problem in the flow's `messages` or `words` (web/field-errors.ts),
 *   what was typed kept. `appealForAction` (web/action-pages.ts) reads an action's appeal and says
 *   when the action is not open. A redirect after changing the session goes through
 *   `redirectWithSession` (web/flash.ts), so the next page reads the session as changed.
 * - Anything else thrown reaches the error pages (web/errors.ts): 404 (also an appeal out of
 *   scope), 503, and a generic 500 without stack trace or SQL.
 * - No inline script or style: the CSP allows scripts from this origin and the page's nonce
 *   (`cspNonce`) only. JavaScript only enhances (web/public/app.mjs); every page works without it.
 * - Browser tests (test/support/browser.ts): `personSignedIn('manager-ho')` (a dev account's sub,
 *   or a role) gives a page signed in through the local identity provider, shared across tests;
 *   `signInAs` a fresh one for tests that sign out. Call `checkAccessibility(page)` on every page
 *   a test visits (axe, WCAG 2.2 AA, zero violations) and `screenshot(page, name)` on the main ones.
 */
import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Response } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { AppealService } from '../api/appeals/service';
import type { DocumentService } from '../api/documents/service';
import type { ArbiterService } from '../api/arbiters/service';
import type { DepartmentService } from '../api/departments/service';
import type { ReportService } from '../api/reports/service';
import { BODY_LIMIT_BYTES } from '../api/errors';
import { appealListRoutes } from './appeal-list/routes';
import { adminRoutes } from './admin/routes';
import { UPLOAD_PATH } from './appeals/documents';
import { appealRoutes } from './appeals/routes';
import { arbiterRoutes } from './arbiter/routes';
import { assetRoutes } from './assets';
import { caseActionRoutes } from './case-actions/routes';
import { pageErrorHandler, pageNotFound } from './errors';
import { showFlash } from './flash';
import { managerRoutes } from './manager/routes';
import { navigationFor } from './navigation';
import { noticeRoutes } from './notices/routes';
import { SignInProvider } from './oidc';
import { openAppealRoutes } from './open-appeal/routes';
import { createSessions } from './session';
import { registerRoutes } from './register/routes';
import { reportRoutes } from './reports/routes';
import { requireSignIn, signInRoutes } from './sign-in';
import { useNunjucks } from './views';
import { workRoutes } from './work/routes';

export const SERVICE_NAME = 'Mutuals appeals';

export interface WebDependencies {
  dataSource: DataSource;
  client: Client;
  appeals: AppealService;
  documents: DocumentService;
  arbiters: ArbiterService;
  departments: DepartmentService;
  reports: ReportService;
  config: Config;
  logger: Logger;
}

/** The pages as one request handler for the main app; paths under /v1 pass by to the API. */
export function webPages(deps: WebDependencies): RequestHandler {
  const web = createWebApp(deps);
  return (req, res, next) => {
    if (req.path === '/v1' || req.path.startsWith('/v1/')) next();
    else web(req, res, next);
  };
}

export function createWebApp({ dataSource, client, appeals, documents, arbiters, departments, reports, config, logger }: WebDependencies): express.Express {
  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', config.trustProxy);
  useNunjucks(web);
  web.locals.serviceName = SERVICE_NAME;
  web.use(pageSecurityHeaders(config.web.oidc?.issuerUrl));
  web.use('/assets', assetRoutes());
  web.use('/register', registerRoutes({ dataSource, client, config }));

  const oidc = config.web.oidc;
  const sessionSecret = config.web.sessionSecret;
  if (!oidc || !sessionSecret) {
    logger.warn('Pages: sign-in is not set up (set OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_REDIRECT_URL and SESSION_SECRET); the API is unaffected');
    web.get('/sign-in', (_req, res) => {
      res.status(503).render('sign-in/not-set-up');
    });
    web.get(/.*/, (_req, res) => {
      res.redirect(303, '/sign-in');
    });
  } else {
    const sessions = createSessions({ dataSource, schema: config.databaseSchema, secret: sessionSecret, idleMinutes: config.web.sessionIdleMinutes, logger });
    const csrf = csrfSync({ getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf });
    // An upload's token is in its multipart fields: that one route checks it itself, before reading the file.
    const isUpload = (req: express.Request) => req.method === 'POST' && UPLOAD_PATH.test(req.path) && Boolean(req.is('multipart/form-data'));
    const csrfProtection: RequestHandler = (req, res, next) => (isUpload(req) ? next() : csrf.csrfSynchronisedProtection(req, res, next));
    const uploadCsrf = { valid: (req: express.Request, token: string | undefined) => token !== undefined && token === csrf.getTokenFromState(req), error: csrf.invalidCsrfTokenError };
    web.use(sessions.middleware, express.urlencoded({ extended: false, limit: BODY_LIMIT_BYTES }), csrfProtection);
    web.use(signInRoutes(new SignInProvider(oidc), sessions));
    web.use(requireSignIn, (req, res, next) => {
      res.locals.csrfToken = csrf.generateToken(req);
      res.locals.navigation = navigationFor(req.caller!.role, req.path);
      next();
    }, showFlash);
    web.use(workRoutes(appeals), appealListRoutes(appeals, dataSource), openAppealRoutes(appeals, dataSource), caseActionRoutes(appeals, dataSource), noticeRoutes(appeals));
    web.use(appealRoutes(appeals, documents, dataSource, uploadCsrf));
    web.use(managerRoutes(appeals), arbiterRoutes(appeals), adminRoutes(departments, arbiters), reportRoutes(reports));
    web.use(pageNotFound, pageErrorHandler((error) => error === csrf.invalidCsrfTokenError));
    return web;
  }
  web.use(pageNotFound, pageErrorHandler(() => false));
  return web;
}

/**
 * The API's helmet headers, with a CSP for pages: scripts from this origin and this response's
 * nonce (GOV.UK Frontend's one inline line marks the page as JavaScript-enabled), forms posting to
 * this origin and, for sign-out's redirect to it, the identity provider.
 */
function pageSecurityHeaders(issuerUrl: string | undefined): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const formAction = ["'self'", ...(issuerUrl ? [new URL(issuerUrl).origin] : [])];
  const csp = helmet.contentSecurityPolicy({
    directives: {
      upgradeInsecureRequests: null,
      scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
      formAction,
    },
  });
  return [nonce, csp];
}
