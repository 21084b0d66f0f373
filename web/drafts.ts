import type { Request } from 'express';

/**
 * What a person answered on a form, kept in their (server-side) session between the form and its
 * "Check your answers" page, so the page's "Change" links bring the form back filled in. A draft is
 * keyed by its form's path, so two appeals' or two forms' drafts never mix; the check page sends
 * the answers it shows with its button, so what is sent is what was checked, even across tabs.
 */
declare module 'express-session' {
  interface SessionData {
    drafts?: Record<string, unknown>;
  }
}

/** At most this many drafts are kept: the oldest goes first. */
const MAX_DRAFTS = 20;

export const drafts = {
  get(req: Request, form: string): unknown {
    return req.session.drafts?.[form];
  },
  keep(req: Request, form: string, answers: unknown): void {
    const { [form]: _previous, ...others } = req.session.drafts ?? {};
    const kept = Object.entries(others).slice(-(MAX_DRAFTS - 1));
    req.session.drafts = Object.fromEntries([...kept, [form, answers]]);
  },
  forget(req: Request, form: string): void {
    if (!req.session.drafts?.[form]) return;
    const { [form]: _gone, ...others } = req.session.drafts;
    req.session.drafts = others;
  },
};
