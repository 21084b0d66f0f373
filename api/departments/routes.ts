import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { CALENDARS, PERIOD_UNITS } from '../../domain/policy';
import { CRITERIA, MAX_SCORE } from '../../domain/decision';
import { listDepartments, replacePolicy } from '../../db/departments';
import { requireRole } from '../auth/access';
import { route } from '../route';
import { notFound } from '../errors';
import { departmentCode, z } from '../schemas';
import { parse } from '../validation';

const PeriodSchema = z.strictObject({ amount: z.int().min(0).max(100_000), unit: z.enum(PERIOD_UNITS) }).openapi('Period');
const DeadlinePeriodSchema = PeriodSchema.refine((p) => p.amount > 0, { message: 'a deadline needs a positive amount', path: ['amount'] });

export const PolicySchema = z
  .strictObject({
    managerResponse: DeadlinePeriodSchema,
    hearingWithin: DeadlinePeriodSchema,
    decisionWithin: DeadlinePeriodSchema,
    complianceWithin: DeadlinePeriodSchema,
    reminders: z.array(DeadlinePeriodSchema).max(10),
    calendar: z.enum(CALENDARS),
    overruleMinimumEach: z.int().min(0).max(MAX_SCORE),
    overruleMinimumTotal: z.int().min(0).max(MAX_SCORE * CRITERIA.length),
  })
  .openapi('Policy');


export function departmentRoutes(dataSource: DataSource): Router {
  return Router()
    .get(
      '/',
      route(async (req, res) => {
        requireRole(req, 'caseworker', 'manager', 'arbiter', 'admin');
        res.json({ items: await listDepartments(dataSource) });
      }),
    )
    .put(
      '/:code/policy',
      route(async (req, res) => {
        const caller = requireRole(req, 'admin');
        const { code } = parse(z.strictObject({ code: departmentCode }), req.params, 'path');
        const policy = parse(PolicySchema, req.body);
        const department = await replacePolicy(dataSource, code, policy, caller.sub);
        if (!department) throw notFound(`No department ${code}`);
        res.json(department);
      }),
    );
}
