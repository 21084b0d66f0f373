/**
 * Department policies: the periods that set every deadline of an appeal, and the thresholds of
 * the overrule test. Pure data and types, safe to import from workflow code.
 */
export const PERIOD_UNITS = ['working_days', 'calendar_days', 'hours', 'minutes', 'seconds'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface Period {
  amount: number;
  unit: PeriodUnit;
}

export const CALENDARS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type CalendarName = (typeof CALENDARS)[number];

export interface Policy {
  managerResponse: Period;
  hearingWithin: Period;
  decisionWithin: Period;
  complianceWithin: Period;
  /** Periods before each deadline at which a reminder goes out. */
  reminders: Period[];
  calendar: CalendarName;
  overruleMinimumEach: number;
  overruleMinimumTotal: number;
}

export const DEADLINE_KINDS = ['managerResponse', 'hearing', 'decision', 'compliance'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** The policy period that sets each kind of deadline. */
export function periodFor(policy: Policy, kind: DeadlineKind): Period {
  switch (kind) {
    case 'managerResponse':
      return policy.managerResponse;
    case 'hearing':
      return policy.hearingWithin;
    case 'decision':
      return policy.decisionWithin;
    case 'compliance':
      return policy.complianceWithin;
  }
}

const workingDays = (amount: number): Period => ({ amount, unit: 'working_days' });

export const DEFAULT_POLICY: Policy = {
  managerResponse: workingDays(20),
  hearingWithin: workingDays(30),
  decisionWithin: workingDays(10),
  complianceWithin: workingDays(30),
  reminders: [workingDays(5), workingDays(1)],
  calendar: 'england-and-wales',
  overruleMinimumEach: 2,
  overruleMinimumTotal: 15,
};

export const SEEDED_DEPARTMENTS = [
  { code: 'DCLG', name: 'Communities and Local Government' },
  { code: 'BIS', name: 'Business, Innovation and Skills' },
  { code: 'DFE', name: 'Education' },
  { code: 'HO', name: 'Home Office' },
  { code: 'MOJ', name: 'Justice' },
] as const;
