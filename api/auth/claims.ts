import { z } from 'zod';
import { ROLES } from '../../domain/appeal';
import type { Caller } from '../context';
import { departmentCode, subject, SUBJECT_MAX } from '../schemas';

/**
 * The claims a verified token must carry, checked once, when the token is verified, so nothing
 * later meets a sub or a department PostgreSQL cannot store, or a manager without a scope: a plain
 * `sub` of at most SUBJECT_MAX characters, a known role, and a department code for a manager (optional
 * for the others, but a department code when given).
 */
const ClaimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: subject, role: z.literal('manager'), department: departmentCode }),
  z.object({ sub: subject, role: z.enum(ROLES).exclude(['manager']), department: departmentCode.optional() }),
]);

const EXPECTED: Record<string, string> = {
  sub: `a string of 1 to ${SUBJECT_MAX} characters, without control characters or whitespace at either end`,
  role: `one of ${ROLES.join(', ')}`,
  department: "a department code such as HO (a manager's is required)",
};

/** The caller the claims name, or which claim does not fit and why (never echoing its value). */
export function callerFromClaims(payload: unknown): { caller: Caller } | { problem: string } {
  const result = ClaimsSchema.safeParse(payload);
  if (result.success) return { caller: result.data };
  const claim = String(result.error.issues[0].path[0] ?? 'role');
  return { problem: `The token's ${claim} claim does not fit: ${EXPECTED[claim]}` };
}
