import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/**
 * What a person answered on a form, kept in their (server-side) session between the form and its
 * "Check your answers" page, so the page's "Change" links bring the form back filled in. A draft is
 * keyed by its form's path, so two appeals' or two forms' drafts never mix; the check page sends
 * the answers it shows with its button, so what is sent is what was checked, even across tabs.
 * Each draft has its own Idempotency-Key, made when it is kept: its check page, shown in two tabs
 * or sent twice, stands for one request, answered once.
 */
declare module 'express-session' {
  interface SessionData {
    drafts?: Record<string, Draft>;
  }
}

/** At most this many drafts are kept: the oldest goes first. */
const MAX_DRAFTS = 20;

export interface Draft {
  answers: unknown;
  requestKey: string;
}

export const drafts = {
  get(req: Request, form: string): Draft | undefined {
    const draft = req.session.drafts?.[form];
    return typeof draft?.requestKey === 'string' ? draft : undefined;
  },
  keep(req: Request, form: string, answers: unknown): void {
    const { [form]: _previous, ...others } = req.session.drafts ?? {};
    const kept = Object.entries(others).slice(-(MAX_DRAFTS - 1));
    req.session.drafts = Object.fromEntries([...kept, [form, { answers, requestKey: randomUUID() }]]);
  },
  forget(req: Request, form: string): void {
    if (!req.session.drafts?.[form]) return;
    const { [form]: _gone, ...others } = req.session.drafts;
    req.session.drafts = others;
  },
};
