import type { Logger } from 'pino';
import type { AppError } from './errors';
import type { Role } from '../workflows/shared';

/** The authenticated caller, from the token's claims. */
export interface Caller {
  sub: string;
  role: Role;
  department?: string;
}

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
