import type { Logger } from 'pino';
import type { AppError } from './errors';
import type { Role } from '../domain/appeal';

/** The authenticated caller, from the token's claims: a manager always has a department. */
export type Caller =
  | { sub: string; role: 'manager'; department: string }
  | { sub: string; role: Exclude<Role, 'manager'>; department?: string };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      caller?: Caller;
      /** Why the bearer token did not identify a caller, for `requireCaller` to answer. */
      authFailure?: AppError;
    }
  }
}
