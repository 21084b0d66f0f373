import type { Request } from 'express';
import type { Role } from '../../domain/appeal';
import type { Caller } from '../context';
import { forbidden, unauthorized } from '../errors';

/** The caller, who must hold one of `roles`: 403 otherwise. */
export function requireRole(req: Request, ...roles: Role[]): Caller {
  const caller = req.caller;
  if (!caller) throw unauthorized('Send a bearer token in the Authorization header');
  return assertRole(caller, roles);
}

/** The caller must hold one of `roles`: 403 otherwise (the check services make of their callers). */
export function assertRole(caller: Caller, roles: readonly Role[]): Caller {
  if (!roles.includes(caller.role)) throw forbidden(`This action is for: ${roles.join(', ')}`);
  return caller;
}

/** Case scoping: managers see their department's appeals, arbiters those assigned to them. */
export function canSeeAppeal(caller: Caller, appeal: { department: string; arbiterId: string | null }): boolean {
  switch (caller.role) {
    case 'caseworker':
    case 'admin':
      return true;
    case 'manager':
      return caller.department === appeal.department;
    case 'arbiter':
      return appeal.arbiterId === caller.sub;
  }
}
