import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { expect } from 'chai';
import { conflict, unprocessable } from '../../api/errors';
import { overruleTest } from '../../domain/decision';
import { REFUSALS } from '../../workflows/shared';
import { formFields, formValues, wholeNumber } from '../../web/answer-flow';
import { overruleRefusal, overruleVerdict } from '../../web/arbiter/decision';
import { londonInstant, type DateParts } from '../../web/dates';
import { periodInCalendar } from '../../web/labels';

/** A date input's parts, those not given left blank. */
const parts = (typed: Partial<DateParts>): DateParts => ({ day: '', month: '', year: '', time: '', ...typed });

const thresholds = { overruleMinimumEach: 2, overruleMinimumTotal: 15 };
const weak = { financialViability: 1, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3 };

describe('pages: the role pages\' helpers', () => {
  it('reads a UK date and time as the instant it names in London, GMT and BST alike', () => {
    expect(londonInstant(parts({ day: '12', month: '1', year: '2027', time: '14:30' }))).to.equal('2027-01-12T14:30:00Z');
    expect(londonInstant(parts({ day: '1', month: '7', year: '2027', time: '2:30pm' }))).to.equal('2027-07-01T13:30:00Z');
    expect(londonInstant(parts({ day: '1', month: '7', year: '2027', time: '9.05' }))).to.equal('2027-07-01T08:05:00Z');
    expect(londonInstant(parts({ day: '1', month: '7', year: '2027', time: '12am' }))).to.equal('2027-06-30T23:00:00Z');
    expect(londonInstant(parts({ day: '31', month: '10', year: '2027', time: '01:30' })), 'the first of the repeated hour').to.equal('2027-10-31T00:30:00Z');
  });

  it('names no instant for an impossible date or time, or one the clocks skip', () => {
    for (const typed of [
      { day: '31', month: '2', year: '2027', time: '10:00' },
      { day: '1', month: '13', year: '2027', time: '10:00' },
      { day: '1', month: '1', year: '27', time: '10:00' },
      { day: '1', month: '1', year: '2027', time: '24:00' },
      { day: '1', month: '1', year: '2027', time: '13pm' },
      { day: '1', month: '1', year: '2027', time: '10' },
      { day: '28', month: '3', year: '2027', time: '01:30' }, // the clocks go forward at 1am
      { day: 'x', month: '1', year: '2027', time: '10:00' },
      { month: '1', year: '2027', time: '10:00' },
    ]) {
      expect(londonInstant(parts(typed)), JSON.stringify(typed)).to.equal(undefined);
    }
  });

  it('turns fields named by body paths into the body, leaving blanks, the CSRF token and odd names out', () => {
    const fields = formFields({
      _csrf: 'token',
      requestKey: 'key',
      outcome: 'overrule',
      'assessment.financialViability': '3',
      'assessment.serviceQuality': ' ',
      'reminders.0.amount': '5',
      'reminders.0.unit': 'working_days',
      'reminders.1.unit': 'hours',
      '__proto__.admin': 'yes',
      'rescheduledFor-day': '12',
    });
    expect(fields).to.deep.equal({
      outcome: 'overrule',
      assessment: { financialViability: '3' },
      reminders: [{ amount: '5', unit: 'working_days' }, { unit: 'hours' }],
      'rescheduledFor-day': '12',
    });
    expect(({} as Record<string, unknown>).admin).to.equal(undefined);
    expect(formValues({ outcome: 'dismiss', assessment: { financialViability: 0 }, reminders: [{ amount: 5 }] })).to.deep.equal({
      outcome: 'dismiss',
      'assessment.financialViability': '0',
      'reminders.0.amount': '5',
    });
    expect([wholeNumber('3'), wholeNumber(' 12 '), wholeNumber('3.5'), wholeNumber('six'), wholeNumber('-1')]).to.deep.equal([3, 12, '3.5', 'six', '-1']);
  });

  it('says what the overrule test makes of an assessment, by the workflow\'s own function', () => {
    const verdict = overruleVerdict(weak, thresholds);
    expect(verdict.test).to.deep.equal(overruleTest(weak, thresholds));
    expect(verdict.lines.find((l) => l.criterion === 'financialViability')).to.deep.include({ name: 'Financial viability', score: 1, meetsMinimum: false });
    expect(verdict.shortfalls).to.deep.equal(['Financial viability scored 1: an overrule needs at least 2', 'The total of 14 is below the 15 an overrule needs']);
    expect(overruleVerdict({ ...weak, financialViability: 3 }, thresholds).test.allowed).to.equal(true);
  });

  it('puts the engine\'s refusal of an overrule on the failing scores, from the details it carries', () => {
    const test = overruleTest(weak, thresholds);
    const failure = ApplicationFailure.create({ type: REFUSALS.businessRule, message: 'The business case is not strong enough', details: [test] });
    const refused = new WorkflowUpdateFailedError('Workflow Update failed', failure);
    const errors = overruleRefusal(refused, weak, thresholds);
    expect(errors?.fields['assessment.financialViability'].text).to.equal('Financial viability scored 1: an overrule needs at least 2');
    expect(errors?.summary.map((s) => s.href)).to.deep.equal(['#assessment-financialViability', '#outcome']);
    expect(overruleRefusal(conflict('Cannot overrule an appeal that is awaiting_compliance'), weak, thresholds)).to.equal(undefined);
    expect(overruleRefusal(unprocessable('Something else'), weak, thresholds)).to.equal(undefined);
  });

  it('says a policy\'s period in plain words, with the bank holidays its working days skip', () => {
    expect(periodInCalendar({ amount: 20, unit: 'working_days' }, 'england-and-wales')).to.equal('20 working days (England and Wales bank holidays)');
    expect(periodInCalendar({ amount: 1, unit: 'working_days' }, 'scotland')).to.equal('1 working day (Scotland bank holidays)');
    expect(periodInCalendar({ amount: 30, unit: 'calendar_days' }, 'scotland')).to.equal('30 calendar days');
  });
});
