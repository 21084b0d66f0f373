import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { actionsOpenTo } from '../../domain/actions';
import type { AppealService } from '../../api/appeals/service';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { findArbiter } from '../../db/arbiters';
import { noticesHref, readsNotices } from '../notices/routes';
import { actionHref } from './actions';
import { eventByline, eventLines } from './timeline';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in the path; anything that is not an appeal id is a page that does not exist. */
export function appealIdOf(params: Record<string, string>): string {
  const id = params.id ?? '';
  if (!UUID.test(id)) throw notFound('No such appeal');
  return id.toLowerCase();
}

/**
 * The case page (/appeals/{id}): the appeal, its deadlines and why each falls when it does, the
 * verified timeline, and the actions this person may take now. Read through AppealService, so an
 * appeal out of the person's scope is the same 404 as a missing one.
 */
export function appealRoutes(appeals: AppealService, dataSource: DataSource): Router {
  return Router().get(
    '/appeals/:id',
    route(async (req, res) => {
      const caller = req.caller as Caller;
      const id = appealIdOf(req.params as Record<string, string>);
      const appeal = await appeals.findVisible(caller, id);
      const [timeline, arbiter] = await Promise.all([appeals.timeline(caller, id), appeal.arbiterId ? findArbiter(dataSource, appeal.arbiterId) : null]);
      const actions = actionsOpenTo(caller, appeal).map((action) => ({ action, href: actionHref(id, action) }));
      const events = timeline.items.map((event) => ({ ...event, lines: eventLines(event), byline: eventByline(event) }));
      const notices = readsNotices(caller) ? noticesHref(id) : undefined;
      res.render('appeals/show', { appeal, timeline: { ...timeline, items: events }, arbiter, actions, noticesHref: notices });
    }),
  );
}
