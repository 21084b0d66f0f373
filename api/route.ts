import type { NextFunction, Request, Response } from 'express';

export type Handler = (req: Request, res: Response) => Promise<void>;

/** Wrap an async handler so a rejection reaches the error middleware. */
export const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).catch(next);
};
