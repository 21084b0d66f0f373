import type { Request, RequestHandler, Response } from 'express';

/** A success message for the page a form redirects to: the GOV.UK notification banner (success) there. */
export interface Flash {
  /** The path of the page that shows it (so no other request, a favicon say, takes it first). */
  for: string;
  heading: string;
  text?: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash;
  }
}

/**
 * Redirect (303) once the session is stored. express-session would store a changed session only
 * while the response ends, after the browser already has the redirect's headers: the next page
 * could then read the session as it was before.
 */
export async function redirectWithSession(req: Request, res: Response, location: string): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
  res.redirect(303, location);
}

/** Leave `heading` for the page at `path`, to say there once in a success banner; answers `path`, where the caller redirects once the session is saved. */
export function flashFor(req: Request, path: string, heading: string, text?: string): string {
  req.session.flash = { for: path, heading, ...(text ? { text } : {}) };
  return path;
}

/** Go to the page at `path` and say `heading` there, once, in a success banner. */
export async function redirectWithFlash(req: Request, res: Response, path: string, heading: string, text?: string): Promise<void> {
  await redirectWithSession(req, res, flashFor(req, path, heading, text));
}

/** Hand a waiting message to the page it is for, once (the layout shows `flash`). */
export const showFlash: RequestHandler = (req, res, next) => {
  const waiting = req.session.flash;
  if (waiting && req.method === 'GET' && req.path === waiting.for) {
    res.locals.flash = waiting;
    delete req.session.flash;
  }
  next();
};
