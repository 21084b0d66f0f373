import { SignJWT } from 'jose';
import type { Role } from '../../domain/appeal';

export interface DevTokenClaims {
  sub: string;
  role: Role;
  /** A manager's department, or an arbiter's home department. */
  department?: string;
}

export interface DevTokenOptions {
  issuer?: string;
  audience?: string;
  /** A jose time span such as '12h' or '30m'. */
  expiresIn?: string;
}

/**
 * Mints an HS256 token the API's verifier accepts when it runs with the same AUTH_JWT_SECRET.
 * For local use, tests and `npm run token`; production tokens come from the identity provider.
 */
export async function signDevToken(secret: string, claims: DevTokenClaims, options: DevTokenOptions = {}): Promise<string> {
  if (!secret) throw new Error('signDevToken needs a non-empty secret');
  const payload: Record<string, string> = { role: claims.role };
  if (claims.department) payload.department = claims.department;
  const token = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) token.setIssuer(options.issuer);
  if (options.audience) token.setAudience(options.audience);
  return token.sign(new TextEncoder().encode(secret));
}
