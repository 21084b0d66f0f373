import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import session, { type Session } from 'express-session';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Caller } from '../api/context';

/** Who is signed in: the same Caller the API builds from a token, and what sign-out needs. */
export interface SignedInPerson {
  caller: Caller;
  name: string;
  /** For RP-initiated logout at the provider (id_token_hint). */
  idToken?: string;
}

declare module 'express-session' {
  interface SessionData {
    person?: SignedInPerson;
    /** Between the redirect to the provider and its answer: the checks of the authorization code flow. */
    signIn?: { state: string; codeVerifier: string; nonce: string; returnTo: string };
  }
}

export const SESSION_COOKIE = 'appeals.sid';

/**
 * Store the session now. express-session would store a changed session only while the response
 * ends, after the browser already has a redirect's headers: the next page could then read the
 * session as it was before.
 */
export const saveSession = (session: Session): Promise<void> => new Promise<void>((resolve, reject) => session.save((error) => (error ? reject(error as Error) : resolve())));
export const SESSION_TABLE = 'web_sessions';

export interface Sessions {
  middleware: RequestHandler;
  /** Delete rows whose idle timeout has passed (called at each sign-in; no timers). */
  prune(): Promise<void>;
}

/**
 * Server-side sessions in PostgreSQL (the `web_sessions` table of the migrations, in
 * DATABASE_SCHEMA, through the app's own connection pool). The cookie holds only the signed
 * session id: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (as
 * `trust proxy` tells), and it ends after `idleMinutes` without a request.
 */
export function createSessions({ dataSource, schema, secret, idleMinutes, logger }: {
  dataSource: DataSource;
  schema: string;
  secret: string;
  idleMinutes: number;
  logger: Logger;
}): Sessions {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: (dataSource.driver as unknown as { master: Pool }).master,
    schemaName: schema,
    tableName: SESSION_TABLE,
    createTableIfMissing: false,
    pruneSessionInterval: false,
    errorLog: (...args: unknown[]) => logger.warn({ detail: args.map(String).join(' ') }, 'session store'),
  });
  const middleware = session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: idleMinutes * 60_000, path: '/' },
  });
  return {
    middleware,
    prune: () =>
      new Promise<void>((resolve) => {
        store.pruneSessions((error) => {
          if (error) logger.warn({ err: error }, 'pruning expired sessions failed');
          resolve();
        });
      }),
  };
}
