import type { Request, RequestHandler, Response } from 'express';
import { saveSession } from './session';

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

/** Redirect (303) once the session is stored (see saveSession). */
export async function redirectWithSession(req: Request, res: Response, location: string): Promise<void> {
  await saveSession(req.session);
  res.redirect(303, location);
}

/** Leave `heading` for the page at `path`, to say there once in a success banner; answers `path`, where the caller redirects once the session is saved. */
export function flashFor(req: Request, path: string, heading: string, text?: string): string {
  req.session.flash = { for: path, heading, ...(text ? { text } : {}) };
  return path;
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
