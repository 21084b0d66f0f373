import { Router } from 'express';
import { NOTICE_READERS, type AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { appealIdOf } from '../appeals/routes';

export const noticesHref = (appealId: string): string => `/appeals/${appealId}/notices`;

/** Whether this person may read an appeal's notices (as GET /v1/appeals/{id}/notifications allows). */
export const readsNotices = (caller: Caller): boolean => (NOTICE_READERS as readonly string[]).includes(caller.role);

/**
 * The notices of an appeal (/appeals/{id}/notices) and their delivery, read through
 * AppealService.notifications as the API's call; for those who may read them, a 404 for others.
 */
export function noticeRoutes(appeals: AppealService): Router {
  return Router().get(
    '/appeals/:id/notices',
    route(async (req, res) => {
      const caller = req.caller as Caller;
      const id = appealIdOf(req.params as Record<string, string>);
      if (!readsNotices(caller)) throw notFound(`No page ${req.path}`);
      const [appeal, { items }] = await Promise.all([appeals.findVisible(caller, id), appeals.notifications(caller, id)]);
      res.render('notices/index', { appeal, notices: items });
    }),
  );
}
