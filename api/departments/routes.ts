import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { DEFAULT_POLICY } from '../../domain/policy';
import { createDepartment, listDepartments, replacePolicy } from '../../db/departments';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { conflict, notFound } from '../errors';
import { NoQuerySchema } from '../schemas';
import { parse } from '../validation';
import { DepartmentParamsSchema, NewDepartmentSchema, PolicySchema } from './schemas';

export function departmentRoutes(dataSource: DataSource): Router {
  return Router()
    .get(
      '/',
      route(async (req, res) => {
        requireRole(req, 'caseworker', 'manager', 'arbiter', 'admin');
        parse(NoQuerySchema, req.query, 'query');
        res.json({ items: await listDepartments(dataSource) });
      }),
    )
    .post(
      '/',
      route(async (req, res) => {
        const caller = requireRole(req, 'admin');
        parse(NoQuerySchema, req.query, 'query');
        const body = parse(NewDepartmentSchema, req.body);
        const department = await createDepartment(dataSource, { ...body, policy: body.policy ?? DEFAULT_POLICY }, caller.sub);
        if (!department) throw conflict(`Department ${body.code} already exists`);
        res.status(201).location(`/v1/departments/${department.code}`).json(department);
      }),
    )
    .put(
      '/:code/policy',
      route(async (req, res) => {
        const caller = requireRole(req, 'admin');
        const { code } = parse(DepartmentParamsSchema, req.params, 'path');
        parse(NoQuerySchema, req.query, 'query');
        const policy = parse(PolicySchema, req.body);
        const department = await replacePolicy(dataSource, code, policy, caller.sub);
        if (!department) throw notFound(`No department ${code}`);
        res.json(department);
      }),
    );
}
