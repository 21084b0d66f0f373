import { Router } from 'express';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import { REPORT_ROLES, type ReportService } from './service';

export function reportRoutes(reports: ReportService): Router {
  return Router().get(
    '/summary',
    route(async (req, res) => {
      const caller = requireRole(req, ...REPORT_ROLES);
      parse(NoQuerySchema, req.query, 'query');
      res.json(await reports.summary(caller));
    }),
  );
}
