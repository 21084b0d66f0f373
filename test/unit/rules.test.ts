import { expect } from 'chai';
import {
  APPEAL_STATUSES,
  DEADLINE_RUNS_WHILE,
  STEPS,
  TERMINAL_STATUSES,
  TRANSITIONS,
  canTake,
  deadlineStartedBy,
  isTerminal,
  nextStatus,
  type AppealStatus,
  type Step,
} from '../../domain/lifecycle';
import { CRITERIA, describeOverruleRefusal, overruleTest, type Assessment } from '../../domain/decision';
import { DEFAULT_POLICY, type DeadlineKind } from '../../domain/policy';

/** The lifecycle as the design describes it, written out independently of TRANSITIONS. */
const LIFECYCLE: Record<Step, Partial<Record<AppealStatus, AppealStatus>>> = {
  concede: { awaiting_manager_response: 'conceded' },
  contest: { awaiting_manager_response: 'awaiting_hearing' },
  managerDefault: { awaiting_manager_response: 'awaiting_hearing' },
  assignArbiter: { awaiting_hearing: 'awaiting_hearing', hearing_scheduled: 'hearing_scheduled' },
  scheduleHearing: { awaiting_hearing: 'hearing_scheduled', hearing_scheduled: 'hearing_scheduled' },
  holdHearing: { hearing_scheduled: 'awaiting_decision' },
  adjournHearing: { hearing_scheduled: 'hearing_scheduled' },
  overrule: { awaiting_decision: 'awaiting_compliance' },
  dismiss: { awaiting_decision: 'dismissed' },
  confirmCompliance: { awaiting_compliance: 'complied' },
  withdraw: {
    awaiting_manager_response: 'withdrawn',
    awaiting_hearing: 'withdrawn',
    hearing_scheduled: 'withdrawn',
    awaiting_decision: 'withdrawn',
  },
};

const BEFORE_DECISION: AppealStatus[] = ['awaiting_manager_response', 'awaiting_hearing', 'hearing_scheduled', 'awaiting_decision'];

const transitions = (): { step: Step; from: AppealStatus; to: AppealStatus }[] =>
  STEPS.flatMap((step) =>
    Object.entries(TRANSITIONS[step]).map(([from, to]) => ({ step, from: from as AppealStatus, to: to })),
  );

describe('appeal lifecycle', () => {
  describe('transition table', () => {
    for (const step of STEPS) {
      for (const status of APPEAL_STATUSES) {
        const expected = LIFECYCLE[step][status];
        const outcome = expected === undefined ? 'is refused' : `leads to ${expected}`;
        it(`${step} from ${status} ${outcome}`, () => {
          expect(nextStatus(status, step)).to.equal(expected);
          expect(canTake(status, step)).to.equal(expected !== undefined);
        });
      }
    }

    it('holds exactly the transitions the design describes', () => {
      expect(TRANSITIONS).to.deep.equal(LIFECYCLE);
    });
  });

  describe('terminal statuses', () => {
    it('are conceded, dismissed, complied and withdrawn', () => {
      expect([...TERMINAL_STATUSES]).to.have.members(['conceded', 'dismissed', 'complied', 'withdrawn']);
      for (const status of APPEAL_STATUSES) expect(isTerminal(status), status).to.equal(TERMINAL_STATUSES.includes(status));
    });

    for (const status of TERMINAL_STATUSES) {
      it(`${status} allows no step at all`, () => {
        expect(STEPS.filter((step) => canTake(status, step))).to.deep.equal([]);
      });
    }

    it('are reachable, and every other status can move on', () => {
      const reached = new Set(transitions().map(({ to }) => to));
      for (const status of TERMINAL_STATUSES) expect(reached.has(status), status).to.equal(true);
      for (const status of APPEAL_STATUSES.filter((s) => !isTerminal(s))) {
        expect(STEPS.some((step) => nextStatus(status, step) !== status && canTake(status, step)), status).to.equal(true);
      }
    });
  });

  describe('withdrawal', () => {
    for (const status of BEFORE_DECISION) {
      it(`is allowed from ${status}, before a decision`, () => {
        expect(nextStatus(status, 'withdraw')).to.equal('withdrawn');
      });
    }

    it('is refused once a decision has been made, even though compliance is still open', () => {
      expect(isTerminal('awaiting_compliance')).to.equal(false);
      expect(canTake('awaiting_compliance', 'withdraw')).to.equal(false);
    });

    it('covers every non-terminal status before a decision', () => {
      const nonTerminal = APPEAL_STATUSES.filter((status) => !isTerminal(status) && status !== 'awaiting_compliance');
      expect(nonTerminal).to.have.members(BEFORE_DECISION);
    });
  });

  describe('deadlines started by a change of status', () => {
    const cases: [AppealStatus | undefined, AppealStatus, DeadlineKind | undefined][] = [
      [undefined, 'awaiting_manager_response', 'managerResponse'],
      ['awaiting_manager_response', 'awaiting_hearing', 'hearing'],
      ['awaiting_hearing', 'hearing_scheduled', undefined],
      ['awaiting_hearing', 'awaiting_hearing', undefined],
      ['hearing_scheduled', 'hearing_scheduled', undefined],
      ['hearing_scheduled', 'awaiting_decision', 'decision'],
      ['awaiting_decision', 'awaiting_compliance', 'compliance'],
      ['awaiting_manager_response', 'conceded', undefined],
      ['awaiting_decision', 'dismissed', undefined],
      ['awaiting_compliance', 'complied', undefined],
      ['hearing_scheduled', 'withdrawn', undefined],
    ];
    for (const [from, to, kind] of cases) {
      it(`${from ?? 'submission'} → ${to} ${kind ? `starts the ${kind} deadline` : 'starts no deadline'}`, () => {
        expect(deadlineStartedBy(from, to)).to.equal(kind);
      });
    }

    it('leaves every open status with a deadline running, started on the way in or carried over', () => {
      for (const { step, from, to } of transitions().filter(({ to }) => !isTerminal(to))) {
        const started = deadlineStartedBy(from, to);
        const carried = (Object.keys(DEADLINE_RUNS_WHILE) as DeadlineKind[]).find(
          (kind) => DEADLINE_RUNS_WHILE[kind].includes(from) && DEADLINE_RUNS_WHILE[kind].includes(to),
        );
        const running = started ?? carried;
        expect(running, `${step}: ${from} → ${to}`).to.not.equal(undefined);
        expect(DEADLINE_RUNS_WHILE[running!], `${step}: ${from} → ${to}`).to.include(to);
      }
    });
  });
});

describe('overrule test', () => {
  const scores = (...values: number[]): Assessment =>
    Object.fromEntries(CRITERIA.map((criterion, i) => [criterion, values[i]])) as Assessment;
  const policy = DEFAULT_POLICY; // at least 2 on each criterion, 15 in total

  it('refuses all 2s, a total of 10, for the total alone', () => {
    const test = overruleTest(scores(2, 2, 2, 2, 2), policy);
    expect(test).to.deep.equal({ allowed: false, total: 10, failingCriteria: [], totalBelowMinimum: true });
  });

  it('refuses one criterion scored 1, naming it, however strong the total', () => {
    const test = overruleTest(scores(5, 5, 1, 5, 5), policy);
    expect(test).to.deep.equal({ allowed: false, total: 21, failingCriteria: ['staffSupport'], totalBelowMinimum: false });
  });

  const cases: { title: string; values: number[]; allowed: boolean; failing: string[]; totalBelow: boolean }[] = [
    { title: 'allows exactly the minimum total, every score above the minimum each', values: [3, 3, 3, 3, 3], allowed: true, failing: [], totalBelow: false },
    { title: 'allows exactly both thresholds', values: [2, 2, 2, 4, 5], allowed: true, failing: [], totalBelow: false },
    { title: 'allows full marks', values: [5, 5, 5, 5, 5], allowed: true, failing: [], totalBelow: false },
    { title: 'refuses a total one below the minimum', values: [2, 3, 3, 3, 3], allowed: false, failing: [], totalBelow: true },
    { title: 'refuses a 0, naming it', values: [0, 5, 5, 5, 5], allowed: false, failing: ['financialViability'], totalBelow: false },
    { title: 'refuses on both counts, naming every low criterion', values: [1, 2, 1, 2, 0], allowed: false, failing: ['financialViability', 'staffSupport', 'continuityOfService'], totalBelow: true },
  ];
  for (const { title, values, allowed, failing, totalBelow } of cases) {
    it(`${title} (${values.join(', ')})`, () => {
      const test = overruleTest(scores(...values), policy);
      expect(test.allowed).to.equal(allowed);
      expect(test.failingCriteria).to.deep.equal(failing);
      expect(test.totalBelowMinimum).to.equal(totalBelow);
      expect(test.total).to.equal(values.reduce((a, b) => a + b, 0));
    });
  }

  it("applies the policy's own thresholds", () => {
    const strict = { overruleMinimumEach: 3, overruleMinimumTotal: 20 };
    expect(overruleTest(scores(4, 4, 4, 4, 4), strict).allowed).to.equal(true);
    expect(overruleTest(scores(5, 5, 5, 5, 2), strict).failingCriteria).to.deep.equal(['continuityOfService']);
    expect(overruleTest(scores(3, 3, 3, 3, 3), strict).totalBelowMinimum).to.equal(true);
  });

  describe('the refusal message', () => {
    it('names every failing criterion and the threshold they missed', () => {
      const test = overruleTest(scores(1, 5, 5, 0, 5), policy);
      const message = describeOverruleRefusal(test, policy);
      expect(message).to.include('scored below 2: financialViability, valueForMoney');
      expect(message).not.to.include('serviceQuality');
      expect(message).not.to.include('total');
    });

    it('names the total and the minimum when the total falls short', () => {
      const message = describeOverruleRefusal(overruleTest(scores(2, 2, 2, 2, 2), policy), policy);
      expect(message).to.include('total 10 is below the minimum of 15');
      expect(message).not.to.include('scored below');
    });

    it('gives both reasons when both fail', () => {
      const message = describeOverruleRefusal(overruleTest(scores(1, 2, 2, 2, 2), policy), policy);
      expect(message).to.include('scored below 2: financialViability');
      expect(message).to.include('total 9 is below the minimum of 15');
    });
  });
});
