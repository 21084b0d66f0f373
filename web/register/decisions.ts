import { Router } from 'express';
import { route } from '../../api/route';
import { DecisionQuerySchema } from '../../api/public/decisions';
import { publicDecisionOf, publicDecisions, publicDepartments, type PublicDeps } from '../../api/public/register';
import { CRITERIA } from '../../domain/decision';
import { CRITERION_NAMES, OUTCOME_NAMES } from '../labels';

/** The form leaves a field it did not fill as an empty string: that is no filter. */
const filled = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));

/** Decided appeals: searched and filtered, and each with its scores and reasons. */
export function decisionPages(deps: PublicDeps): Router {
  return Router()
    .get(
      '/decisions',
      route(async (req, res) => {
        const departments = await publicDepartments(deps);
        const parsed = DecisionQuerySchema.safeParse(filled(req.query));
        if (!parsed.success) {
          const errors = parsed.error.issues.map((issue) => ({ text: `Check the ${String(issue.path[0])}: ${issue.message}`, href: `#${String(issue.path[0])}` }));
          res.status(400).render('register/decisions', { departments, query: req.query, errors: { summary: errors }, outcomes: OUTCOME_NAMES });
          return;
        }
        const result = await publicDecisions(deps, parsed.data);
        res.render('register/decisions', { departments, query: parsed.data, result, outcomes: OUTCOME_NAMES, pages: Math.ceil(result.total / result.pageSize) });
      }),
    )
    .get(
      '/decisions/:reference',
      route(async (req, res) => {
        const decision = await publicDecisionOf(deps, String(req.params.reference));
        res.render('register/decision', { decision, criteria: CRITERIA.map((criterion) => ({ key: criterion, name: CRITERION_NAMES[criterion] })) });
      }),
    );
}
