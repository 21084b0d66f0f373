import { Router } from 'express';
import { notFound } from '../../api/errors';
import { route } from '../../api/route';
import { publicDepartmentOf, publicDepartments, type PublicDeps } from '../../api/public/register';
import { CRITERIA, MAX_SCORE } from '../../domain/decision';
import { CRITERION_NAMES, POLICY_PERIODS } from '../labels';

/** The register's front page, the departments with their policies and guidance, and how to appeal. */
export function departmentPages(deps: PublicDeps): Router {
  return Router()
    .get(
      '/',
      route(async (_req, res) => {
        res.render('register/index', { departments: await publicDepartments(deps) });
      }),
    )
    .get(
      '/departments',
      route(async (_req, res) => {
        res.render('register/departments', { departments: await publicDepartments(deps) });
      }),
    )
    .get(
      '/departments/:code',
      route(async (req, res) => {
        const department = await publicDepartmentOf(deps, String(req.params.code));
        res.render('register/department', { department, version: department.policyInForce, periods: POLICY_PERIODS });
      }),
    )
    .get(
      '/departments/:code/versions/:version',
      route(async (req, res) => {
        const department = await publicDepartmentOf(deps, String(req.params.code));
        const version = department.versions.find((v) => String(v.version) === req.params.version);
        if (!version) throw notFound(`No version ${String(req.params.version)} of ${department.code}'s policy`);
        res.render('register/department', { department, version, periods: POLICY_PERIODS });
      }),
    )
    .get(
      '/how-to-appeal',
      route(async (_req, res) => {
        const criteria = CRITERIA.map((criterion) => CRITERION_NAMES[criterion]);
        res.render('register/how-to-appeal', { departments: await publicDepartments(deps), periods: POLICY_PERIODS, criteria, maxScore: MAX_SCORE });
      }),
    );
}
