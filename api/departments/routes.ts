import { Router } from 'express';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import { DepartmentParamsSchema, NewDepartmentSchema, PolicySchema } from './schemas';
import { DEPARTMENT_ROLES, type DepartmentService } from './service';

export function departmentRoutes(departments: DepartmentService): Router {
  return Router()
    .get(
      '/',
      route(async (req, res) => {
        const caller = requireRole(req, ...DEPARTMENT_ROLES.list);
        parse(NoQuerySchema, req.query, 'query');
        res.json({ items: await departments.list(caller) });
      }),
    )
    .post(
      '/',
      route(async (req, res) => {
        const caller = requireRole(req, ...DEPARTMENT_ROLES.create);
        parse(NoQuerySchema, req.query, 'query');
        const department = await departments.create(caller, parse(NewDepartmentSchema, req.body));
        res.status(201).location(`/v1/departments/${department.code}`).json(department);
      }),
    )
    .put(
      '/:code/policy',
      route(async (req, res) => {
        const caller = requireRole(req, ...DEPARTMENT_ROLES.replacePolicy);
        const { code } = parse(DepartmentParamsSchema, req.params, 'path');
        parse(NoQuerySchema, req.query, 'query');
        res.json(await departments.replacePolicy(caller, code, parse(PolicySchema, req.body)));
      }),
    )
    .post(
      '/:code/policy/preview',
      route(async (req, res) => {
        const caller = requireRole(req, ...DEPARTMENT_ROLES.previewPolicy);
        const { code } = parse(DepartmentParamsSchema, req.params, 'path');
        parse(NoQuerySchema, req.query, 'query');
        res.json(await departments.previewPolicy(caller, code, parse(PolicySchema, req.body)));
      }),
    );
}
