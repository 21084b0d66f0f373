import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { arbiterRegister, registerArbiter } from '../../db/arbiters';
import { departmentExists } from '../../db/departments';
import { ArbiterEntity } from '../../db/entities';
import type { Role } from '../../workflows/shared';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { conflict, unprocessable } from '../errors';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import { ArbiterRegistrationSchema } from './schemas';

/** Who may read the register (GET /v1/arbiters, and the pages that show it). */
export const REGISTER_READERS = ['caseworker', 'admin'] as const satisfies Role[];

const view = (a: Pick<ArbiterEntity, 'id' | 'name' | 'email' | 'department'>) => ({ id: a.id, name: a.name, email: a.email, department: a.department });

export function arbiterRoutes(dataSource: DataSource): Router {
  return Router()
    .get(
      '/',
      route(async (req, res) => {
        requireRole(req, ...REGISTER_READERS);
        parse(NoQuerySchema, req.query, 'query');
        res.json({ items: await arbiterRegister(dataSource) });
      }),
    )
    .post(
      '/',
      route(async (req, res) => {
        requireRole(req, 'admin');
        parse(NoQuerySchema, req.query, 'query');
        const body = parse(ArbiterRegistrationSchema, req.body);
        if (body.department && !(await departmentExists(dataSource, body.department))) {
          throw unprocessable(`There is no department ${body.department}`, [{ path: 'body.department', message: 'unknown department' }]);
        }
        const arbiter = { ...body, department: body.department ?? null };
        if (!(await registerArbiter(dataSource, arbiter))) throw conflict(`Arbiter ${body.id} is already registered`);
        res.status(201).json(view(arbiter));
      }),
    );
}
