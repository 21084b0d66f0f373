import { Router, type RequestHandler } from 'express';
import type { Session } from 'express-session';
import { callerFromClaims } from '../api/auth/claims';
import { toAppError } from '../api/errors';
import { route } from '../api/route';
import { newFlowChecks, postLogoutRedirectUrl, type SignInProvider } from './oidc';
import { saveSession, SESSION_COOKIE, type Sessions } from './session';

/**
 * Sign-in with OpenID Connect, sign-out, and the guard of every page behind them.
 *
 * GET /sign-in sends the person to the provider (authorization code + PKCE; state and nonce
 * checked); GET /sign-in/callback takes the code back, builds the same Caller the API builds from
 * a token (callerFromClaims: the API's own claims check), and starts a NEW session (the old id is
 * dropped, so a session id planted before sign-in is worth nothing). POST /sign-out (CSRF
 * protected, as every POST) destroys the session and ends it at the provider too.
 */
export function signInRoutes(provider: SignInProvider, sessions: Sessions): Router {
  const { roleClaim, departmentClaim, redirectUrl } = provider.settings;
  return Router()
    .get(
      '/sign-in',
      route(async (req, res) => {
        const checks = newFlowChecks();
        const url = await provider.authorizationUrl(checks);
        req.session.signIn = { ...checks, returnTo: localPath(req.query.returnTo) };
        await saveSession(req.session);
        res.redirect(303, url.href);
      }),
    )
    .get(
      '/sign-in/callback',
      route(async (req, res) => {
        const pending = req.session.signIn;
        if (!pending) {
          res.redirect(303, '/sign-in');
          return;
        }
        let signedIn: Awaited<ReturnType<SignInProvider['finish']>>;
        try {
          signedIn = await provider.finish(new URL(req.originalUrl, 'http://callback').search, pending);
        } catch (error) {
          // The provider out of reach is a 503; anything else (a state, nonce or PKCE mismatch, an
          // error the provider sent back, a code refused) is a sign-in that did not happen.
          if (toAppError(error).status === 503) throw error;
          req.log.warn({ err: error }, 'sign-in failed');
          delete req.session.signIn;
          res.status(401).render('sign-in/failed');
          return;
        }
        const { claims, idToken } = signedIn;
        const fit = callerFromClaims({ sub: claims.sub, role: single(claims[roleClaim]), department: single(claims[departmentClaim]) });
        if ('problem' in fit) {
          req.log.warn({ sub: claims.sub, roleClaim, departmentClaim }, 'sign-in refused: the claims name no role of this service');
          delete req.session.signIn;
          res.status(403).render('sign-in/refused', { roleClaim });
          return;
        }
        const { caller } = fit;
        await regenerate(req.session);
        req.session.person = { caller, name: typeof claims.name === 'string' && claims.name ? claims.name : caller.sub, idToken };
        await saveSession(req.session);
        req.log.info({ sub: caller.sub, role: caller.role }, 'signed in');
        await sessions.prune();
        res.redirect(303, pending.returnTo);
      }),
    )
    .post(
      '/sign-out',
      route(async (req, res) => {
        const idToken = req.session.person?.idToken;
        await destroy(req.session);
        res.clearCookie(SESSION_COOKIE, { path: '/' });
        const atProvider = await provider.endSessionUrl(idToken, postLogoutRedirectUrl(redirectUrl));
        res.redirect(303, atProvider?.href ?? '/signed-out');
      }),
    )
    .get('/signed-out', (_req, res) => {
      res.render('signed-out');
    });
}

/** Every page after this needs a signed-in person: `req.caller` is theirs; others go to sign in first. */
export const requireSignIn: RequestHandler = (req, res, next) => {
  const person = req.session.person;
  if (!person) {
    const comingBack = req.method === 'GET' || req.method === 'HEAD' ? `?returnTo=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/sign-in${comingBack}`);
    return;
  }
  req.caller = person.caller;
  req.log = req.log.child({ sub: person.caller.sub, role: person.caller.role });
  res.locals.person = person;
  next();
};

/** Where to go after signing in: a path of this service only, never another site. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

/** A claim that may come as a string or as a list of one (Entra ID sends roles as a list). */
function single(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

const regenerate = (session: Session) => new Promise<void>((resolve, reject) => session.regenerate((error) => (error ? reject(error as Error) : resolve())));
const destroy = (session: Session) => new Promise<void>((resolve, reject) => session.destroy((error) => (error ? reject(error as Error) : resolve())));
