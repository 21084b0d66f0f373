import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { summaryReport } from '../../db/reports';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';

export function reportRoutes(dataSource: DataSource): Router {
  return Router().get(
    '/summary',
    route(async (req, res) => {
      requireRole(req, 'caseworker', 'admin');
      parse(NoQuerySchema, req.query, 'query');
      res.json(await summaryReport(dataSource));
    }),
  );
}
