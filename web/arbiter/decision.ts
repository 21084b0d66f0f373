import { ApplicationFailure } from '@temporalio/common';
import { toAppError } from '../../api/errors';
import { CRITERIA, overruleTest, type Assessment, type Criterion, type OverruleTest } from '../../domain/decision';
import type { Policy } from '../../domain/policy';
import { REFUSALS } from '../../workflows/shared';
import { fieldId, type FormErrors } from '../forms';
import { CRITERION_NAMES } from '../labels';

export type Thresholds = Pick<Policy, 'overruleMinimumEach' | 'overruleMinimumTotal'>;

/** One criterion's line: its score against the policy's minimum, in words. */
export interface ScoreLine {
  criterion: Criterion;
  name: string;
  score: number;
  meetsMinimum: boolean;
}

/**
 * What the overrule test (domain/decision.ts overruleTest, the function the workflow's validator
 * runs) makes of an assessment under the appeal's policy, with its parts in words for the pages.
 */
export function overruleVerdict(assessment: Assessment, thresholds: Thresholds): { test: OverruleTest; lines: ScoreLine[]; shortfalls: string[] } {
  const test = overruleTest(assessment, thresholds);
  const lines = CRITERIA.map((criterion) => ({
    criterion,
    name: CRITERION_NAMES[criterion],
    score: assessment[criterion],
    meetsMinimum: !test.failingCriteria.includes(criterion),
  }));
  return { test, lines, shortfalls: shortfalls(test, assessment, thresholds) };
}

/** Why an overrule is not allowed, one line per failing criterion and one for the total. */
function shortfalls(test: OverruleTest, assessment: Assessment, thresholds: Thresholds): string[] {
  const lines = test.failingCriteria.map(
    (criterion) => `${CRITERION_NAMES[criterion]} scored ${assessment[criterion]}: an overrule needs at least ${thresholds.overruleMinimumEach}`,
  );
  if (test.totalBelowMinimum) lines.push(`The total of ${test.total} is below the ${thresholds.overruleMinimumTotal} an overrule needs`);
  return lines;
}

/**
 * The engine's 422 for an overrule below the thresholds as form errors: the failing criteria on
 * their scores, the total on the outcome. The refusal carries the workflow's own overrule test in
 * its details, so the page names exactly what the engine found.
 */
export function overruleRefusal(error: unknown, assessment: Assessment, thresholds: Thresholds): FormErrors | undefined {
  if (toAppError(error).status !== 422) return undefined;
  const test = engineOverruleTest(error);
  if (!test) return undefined;
  const fields: FormErrors['fields'] = {};
  for (const criterion of test.failingCriteria) {
    fields[`assessment.${criterion}`] = { text: `${CRITERION_NAMES[criterion]} scored ${assessment[criterion]}: an overrule needs at least ${thresholds.overruleMinimumEach}` };
  }
  if (test.totalBelowMinimum) fields.outcome = { text: `The total of ${test.total} is below the ${thresholds.overruleMinimumTotal} an overrule needs: dismiss the appeal, or change the scores` };
  const summary = Object.entries(fields).map(([name, { text }]) => ({ text, href: `#${fieldId(name)}` }));
  return { summary, fields };
}

/** The overrule test a business-rule refusal of the workflow carries, if it is one. */
function engineOverruleTest(error: unknown): OverruleTest | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof ApplicationFailure && cause.type === REFUSALS.businessRule) {
      const details = cause.details?.[0] as Partial<OverruleTest> | undefined;
      return details && Array.isArray(details.failingCriteria) && typeof details.total === 'number' ? (details as OverruleTest) : undefined;
    }
  }
  return undefined;
}
