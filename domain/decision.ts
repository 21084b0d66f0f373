import type { Policy } from './policy';

/** The five criteria an arbiter scores a business case on, each 0-5. */
export const CRITERIA = [
  'financialViability',
  'serviceQuality',
  'staffSupport',
  'valueForMoney',
  'continuityOfService',
] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Assessment = Record<Criterion, number>;

export const MAX_SCORE = 5;

export const DECISION_OUTCOMES = ['overrule', 'dismiss'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export function isScore(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_SCORE;
}

export interface OverruleTest {
  allowed: boolean;
  total: number;
  /** Criteria scored below the policy's minimum for each. */
  failingCriteria: Criterion[];
  totalBelowMinimum: boolean;
}

/** May the arbiter overrule the managers on this assessment, under this policy? */
export function overruleTest(
  assessment: Assessment,
  policy: Pick<Policy, 'overruleMinimumEach' | 'overruleMinimumTotal'>,
): OverruleTest {
  const failingCriteria = CRITERIA.filter((criterion) => !isScore(assessment[criterion]) || assessment[criterion] < policy.overruleMinimumEach);
  const total = CRITERIA.reduce((sum, criterion) => sum + (isScore(assessment[criterion]) ? assessment[criterion] : 0), 0);
  const totalBelowMinimum = total < policy.overruleMinimumTotal;
  return { allowed: failingCriteria.length === 0 && !totalBelowMinimum, total, failingCriteria, totalBelowMinimum };
}

export function describeOverruleRefusal(test: OverruleTest, policy: Pick<Policy, 'overruleMinimumEach' | 'overruleMinimumTotal'>): string {
  const parts: string[] = [];
  if (test.failingCriteria.length > 0) {
    parts.push(`scored below ${policy.overruleMinimumEach}: ${test.failingCriteria.join(', ')}`);
  }
  if (test.totalBelowMinimum) {
    parts.push(`total ${test.total} is below the minimum of ${policy.overruleMinimumTotal}`);
  }
  return `The business case is not strong enough to overrule the managers (${parts.join('; ')}).`;
}
