import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config';
import { unauthorized, unavailable, type AppError } from '../errors';
import { callerFromClaims } from './claims';
import { VerifiedTokens, type Verified } from './verified-tokens';

/**
 * Who is calling: verifies the bearer token (HS256 with AUTH_JWT_SECRET, or an OIDC provider's
 * JWKS) and sets `req.caller`, or records why not in `req.authFailure`. It never refuses by
 * itself, so the rate limiter that follows can count callers by `sub`; `requireCaller` refuses.
 * A token verified once is not verified again until it expires (VerifiedTokens).
 */
export function identify(auth: Config['auth']): RequestHandler {
  const key = verificationKey(auth);
  const verifiedTokens = new VerifiedTokens();
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token, ...rest] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      req.authFailure = unauthorized('Send a bearer token in the Authorization header');
      next();
      return;
    }
    verifiedTokens.callerOf(token, () => verify(token, key, auth)).then(
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

class ClaimsDoNotFit extends Error {}

function failureOf(error: unknown, withSecret: boolean): AppError {
  if (error instanceof joseErrors.JWTExpired) return unauthorized('The token has expired');
  if (error instanceof ClaimsDoNotFit) return unauthorized(error.message);
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

async function verify(token: string, key: VerificationKey, auth: Config['auth']): Promise<Verified> {
  const options = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'],
    requiredClaims: ['sub', 'exp'],
  };
  const { payload } =
    key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
  const claims = callerFromClaims(payload);
  if ('problem' in claims) throw new ClaimsDoNotFit(claims.problem);
  // `exp` is a required claim, in seconds; jose refuses the token from that second on.
  return { caller: claims.caller, expiresAt: (payload.exp as number) * 1000 };
}
