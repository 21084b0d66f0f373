import type { Request, RequestHandler } from 'express';

/** A success banner for the next page shown: "Response sent", and a line saying what happens next. */
export interface Flash {
  title: string;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: Flash;
  }
}

/** Show `flash` as a success banner on the page the person lands on next (post/redirect/get). */
export function flash(req: Request, message: Flash): void {
  req.session.flash = message;
}

/** Hands a waiting flash to the layout (as `flash`) once, then forgets it. */
export const showFlash: RequestHandler = (req, res, next) => {
  if (req.session.flash && req.method === 'GET') {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
