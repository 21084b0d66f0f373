import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { actionsOpenTo } from '../../domain/actions';
import type { AppealService } from '../../api/appeals/service';
import type { DocumentService } from '../../api/documents/service';
import { mayFetchBundle } from '../../domain/bundle';
import { documentsOpen, UPLOADS_BY_ROLE } from '../../domain/documents';
import type { Caller } from '../../api/context';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { findArbiter } from '../../db/arbiters';
import { noticesHref, readsNotices } from '../notices/routes';
import { actionHref } from './actions';
import { bundleHref, documentRoutes, type CsrfCheck } from './documents';
import { eventByline, eventLines } from './timeline';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in the path; anything that is not an appeal id is a page that does not exist. */
export function appealIdOf(params: Record<string, string>): string {
  const id = params.id ?? '';
  if (!UUID.test(id)) throw notFound('No such appeal');
  return id.toLowerCase();
}

/**
 * The case page (/appeals/{id}): the appeal, its documents, its deadlines and why each falls when
 * it does, the verified timeline, and the actions this person may take now (adding a document
 * among them). Read through the services, so an appeal out of the person's scope is the same 404
 * as a missing one.
 */
export function appealRoutes(appeals: AppealService, documents: DocumentService, dataSource: DataSource, csrf: CsrfCheck): Router {
  const showCase = async (req: Request, res: Response, upload?: { errors: unknown; values: Record<string, string> }, status = 200) => {
    const caller = req.caller as Caller;
    const id = appealIdOf(req.params as Record<string, string>);
    const appeal = await appeals.findVisible(caller, id);
    const [timeline, arbiter, documentList] = await Promise.all([
      appeals.timeline(caller, id),
      appeal.arbiterId ? findArbiter(dataSource, appeal.arbiterId) : null,
      documents.list(caller, id),
    ]);
    const actions = actionsOpenTo(caller, appeal).map((action) => ({ action, href: actionHref(id, action) }));
    const events = timeline.items.map((event) => ({ ...event, lines: eventLines(event), byline: eventByline(event) }));
    const notices = readsNotices(caller) ? noticesHref(id) : undefined;
    const uploadCategories = documentsOpen(appeal.status) ? (UPLOADS_BY_ROLE[caller.role] ?? []) : [];
    res.status(status).render('appeals/show', {
      appeal,
      timeline: { ...timeline, items: events },
      arbiter,
      actions,
      noticesHref: notices,
      documents: documentList,
      bundleHref: mayFetchBundle(caller.role) ? bundleHref(id) : undefined,
      decisionLetter: documentList.find((document) => document.category === 'decision_letter'),
      uploadCategories,
      errors: upload?.errors,
      values: upload?.values ?? {},
    });
  };
  return Router()
    .get(
      '/appeals/:id',
      route((req, res) => showCase(req, res)),
    )
    .use(documentRoutes(documents, csrf, showCase));
}
