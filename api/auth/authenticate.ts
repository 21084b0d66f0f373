import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config';
import { ROLES, type Role } from '../../workflows/shared';
import type { Caller } from '../context';
import { unauthorized } from '../errors';

/** Verify the bearer token (HS256 secret, or an OIDC provider's JWKS) and set `req.caller`. */
export function authenticate(auth: Config['auth']): RequestHandler {
  const key = verificationKey(auth);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      next(unauthorized('Send a bearer token in the Authorization header'));
      return;
    }
    verify(token, key, auth).then(
      (caller) => {
        req.caller = caller;
        req.log = req.log.child({ sub: caller.sub, role: caller.role });
        next();
      },
      () => next(unauthorized('The token is invalid or expired')),
    );
  };
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
  };
  const { payload } =
    key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
  const role = payload.role;
  if (typeof payload.sub !== 'string' || !ROLES.includes(role as Role)) throw new Error('missing claims');
  const department = typeof payload.department === 'string' ? payload.department : undefined;
  return { sub: payload.sub, role: role as Role, department };
}
