import { Router } from 'express';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import { ArbiterRegistrationSchema } from './schemas';
import { ARBITER_ROLES, type ArbiterService } from './service';

export function arbiterRoutes(arbiters: ArbiterService): Router {
  return Router()
    .get(
      '/',
      route(async (req, res) => {
        const caller = requireRole(req, ...ARBITER_ROLES.list);
        parse(NoQuerySchema, req.query, 'query');
        res.json({ items: await arbiters.list(caller) });
      }),
    )
    .post(
      '/',
      route(async (req, res) => {
        const caller = requireRole(req, ...ARBITER_ROLES.register);
        parse(NoQuerySchema, req.query, 'query');
        res.status(201).json(await arbiters.register(caller, parse(ArbiterRegistrationSchema, req.body)));
      }),
    );
}
