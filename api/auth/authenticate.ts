import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config';
import { ROLES, type Role } from '../../workflows/shared';
import type { Caller } from '../context';
import { unauthorized, unavailable, type AppError } from '../errors';

/**
 * Who is calling: verifies the bearer token (HS256 with AUTH_JWT_SECRET, or an OIDC provider's
 * JWKS) and sets `req.caller`, or records why not in `req.authFailure`. It never refuses by
 * itself, so the rate limiter that follows can count callers by `sub`; `requireCaller` refuses.
 */
export function identify(auth: Config['auth']): RequestHandler {
  const key = verificationKey(auth);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token, ...rest] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      req.authFailure = unauthorized('Send a bearer token in the Authorization header');
      next();
      return;
    }
    verify(token, key, auth).then(
      (caller) => {
        req.caller = caller;
        req.log = req.log.child({ sub: caller.sub, role: caller.role });
        next();
      },
      (error: unknown) => {
        req.authFailure = failureOf(error, key instanceof Uint8Array);
        next();
      },
    );
  };
}

/** 401 (or 503 when the identity provider's keys cannot be fetched) for a caller not identified. */
export const requireCaller: RequestHandler = (req, _res, next) => {
  next(req.caller ? undefined : (req.authFailure ?? unauthorized('Send a bearer token in the Authorization header')));
};

export class MissingClaims extends Error {}

function failureOf(error: unknown, withSecret: boolean): AppError {
  if (error instanceof joseErrors.JWTExpired) return unauthorized('The token has expired');
  if (error instanceof MissingClaims) return unauthorized(error.message);
  const keysUnreachable = error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError);
  if (!withSecret && keysUnreachable) {
    return unavailable('The identity provider cannot be reached to verify the token', error);
  }
  return unauthorized('The token is invalid');
}

type VerificationKey = Uint8Array | JWTVerifyGetKey;

function verificationKey(auth: Config['auth']): VerificationKey {
  if (auth.jwksUrl) return createRemoteJWKSet(new URL(auth.jwksUrl));
  if (auth.jwtSecret) return new TextEncoder().encode(auth.jwtSecret);
  throw new Error('Set AUTH_JWT_SECRET or AUTH_JWKS_URL');
}

async function verify(token: string, key: VerificationKey, auth: Config['auth']): Promise<Caller> {
  const options = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'],
    requiredClaims: ['sub', 'exp'],
  };
  const { payload } =
    key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
  return callerFromClaims(payload);
}

/**
 * The caller that verified claims name, for a bearer token and for a person signed in to the
 * pages alike; MissingClaims when they do not fit.
 */
export function callerFromClaims(claims: { sub?: unknown; role?: unknown; department?: unknown }): Caller {
  const { sub, role } = claims;
  if (typeof sub !== 'string' || sub === '' || !ROLES.includes(role as Role)) {
    throw new MissingClaims(`The token needs a sub and a role (${ROLES.join(', ')})`);
  }
  const department = typeof claims.department === 'string' ? claims.department : undefined;
  return { sub, role: role as Role, department };
}
