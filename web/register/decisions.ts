import { Router } from 'express';
import { route } from '../../api/route';
import { DecisionQuerySchema } from '../../api/public/decisions';
import { publicDecisionOf, publicDecisions, publicDepartments, type PublicDeps } from '../../api/public/register';
import { parse } from '../../api/validation';
import { CRITERIA } from '../../domain/decision';
import { filledIn, queryErrors } from '../field-errors';
import { CRITERION_NAMES } from '../labels';

const FILTER_WORDS = {
  department: { name: 'The department', missing: 'Select a department' },
  outcome: { name: 'The outcome', missing: 'Select an outcome' },
  year: { name: 'The year', missing: 'Enter a year', invalid: 'Enter a year such as 2026' },
  q: { name: 'The search', missing: 'Enter words to search for' },
  page: { name: 'The page', missing: 'Enter a page number' },
};

/** Decided appeals: searched and filtered, and each with its scores and reasons. */
export function decisionPages(deps: PublicDeps): Router {
  return Router()
    .get(
      '/decisions',
      route(async (req, res) => {
        const asked = filledIn(req.query);
        const departments = await publicDepartments(deps);
        let query: ReturnType<typeof DecisionQuerySchema.parse>;
        try {
          query = parse(DecisionQuerySchema, asked, 'query');
        } catch (error) {
          res.status(400).render('register/decisions', { departments, query: asked, errors: queryErrors(error, FILTER_WORDS, asked) });
          return;
        }
        const result = await publicDecisions(deps, query);
        res.render('register/decisions', { departments, query, result, pages: Math.ceil(result.total / result.pageSize) });
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
