import { expect } from 'chai';
import express from 'express';
import { AppealSubmissionSchema, ExtensionSchema } from '../../api/appeals/schemas';
import { conflict, unprocessable } from '../../api/errors';
import { parse } from '../../api/validation';
import { dateAnswer, datePartsOf, endOfLondonDay, londonDate, londonInstant } from '../../web/dates';
import { fieldErrors } from '../../web/field-errors';
import { refusalAsFormErrors } from '../../web/forms';
import { useNunjucks } from '../../web/views';

const refusalOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

const parts = (day: string, month: string, year: string, time = '') => ({ day, month, year, time });

describe('pages: dates typed into GOV.UK date inputs', () => {
  it('reads a date input\'s fields, and makes a YYYY-MM-DD of them for the API\'s schema', () => {
    expect(datePartsOf({ 'until-day': ' 3 ', 'until-month': '10', 'until-year': '2026' }, 'until')).to.deep.equal(parts('3', '10', '2026'));
    expect(dateAnswer(parts('3', '1', '2026'), londonDate)).to.equal('2026-01-03');
    expect(dateAnswer(parts('', '', ''), londonDate), 'nothing typed: missing').to.equal(undefined);
    expect(dateAnswer(parts('3rd', 'Jan', '2026'), londonDate), 'passed on as typed, for the schema to refuse').to.equal('3rd/Jan/2026');
    expect(dateAnswer(parts('31', '02', '2026'), londonDate), 'no such day').to.equal('31/02/2026');
  });

  it('turns a UK wall-clock date and time into an instant, in GMT and in BST', () => {
    expect(dateAnswer(parts('15', '1', '2027', '14:30'), londonInstant)).to.equal('2027-01-15T14:30:00Z');
    expect(dateAnswer(parts('15', '7', '2027', '9.05'), londonInstant)).to.equal('2027-07-15T08:05:00Z');
    expect(dateAnswer(parts('31', '2', '2027', '10:00'), londonInstant), 'no such day: as typed, so the schema refuses it').to.equal('31/2/2027 10:00');
    expect(dateAnswer(parts('15', '1', '2027', ''), londonInstant)).to.equal('15/1/2027');
    expect(dateAnswer(parts('', '', '', '10:00'), londonInstant), 'a time without a date is not nothing').to.equal('// 10:00');
  });

  it('ends a day at 23:59:59 UK time, as the engine\'s day-counted deadlines do', () => {
    expect(endOfLondonDay(parts('13', '1', '2027'))).to.equal('2027-01-13T23:59:59.000Z');
    expect(endOfLondonDay(parts('30', '6', '2027'))).to.equal('2027-06-30T22:59:59.000Z');
    expect(endOfLondonDay(parts('31', '6', '2027'))).to.equal(undefined);
  });
});

describe('pages: the API schema\'s problems in the service\'s words', () => {
  const words = {
    'parentBody.name': { name: 'The name of the parent body', missing: 'Enter the name of the parent body' },
    'appellant.email': { name: 'The appellant’s email address', missing: 'Enter the appellant’s email address', invalid: 'Enter an email address like name@example.org' },
    'proposedMutual.annualTurnover': { name: 'The annual turnover', missing: 'Enter the annual turnover', invalid: 'Enter the turnover in pounds', outOfRange: 'The annual turnover is too large' },
    requestSubmittedOn: { name: 'The date the request was submitted', missing: 'Enter the date', invalid: 'Enter a real date', date: true },
  };

  it('says what is missing, what is malformed, and the schema\'s own limits, each on the form\'s field', () => {
    const body = {
      department: 'HO',
      parentBody: { name: 'x'.repeat(201), managerName: 'Pat', managerEmail: 'pat@example.org' },
      appellant: { name: 'Sam', email: 'not an email' },
      proposedMutual: { name: 'M', service: 'S', staffCount: 3, annualTurnoverPence: 'lots' },
      groundsOfAppeal: 'no_response',
      requestSubmittedOn: '2999-01-01',
      businessCaseSummary: 'A case.',
    };
    const typed: Record<string, string> = { 'parentBody.name': 'x'.repeat(201), 'appellant.email': 'not an email', 'proposedMutual.annualTurnover': 'lots' };
    const errors = fieldErrors(
      refusalOf(() => parse(AppealSubmissionSchema, body)),
      words,
      (name) => !typed[name] && name !== 'requestSubmittedOn',
      { 'proposedMutual.annualTurnoverPence': 'proposedMutual.annualTurnover' },
    );
    expect(errors.summary).to.deep.equal([
      { text: 'The name of the parent body must be 200 characters or fewer', href: '#parentBody-name' },
      { text: 'Enter an email address like name@example.org', href: '#appellant-email' },
      { text: 'Enter the turnover in pounds', href: '#proposedMutual-annualTurnover' },
      { text: 'The date the request was submitted must be between 2000 and 2199', href: '#requestSubmittedOn-day' },
    ]);
  });

  it('says a blank field is missing, whatever the schema\'s message', () => {
    const errors = fieldErrors(refusalOf(() => parse(ExtensionSchema, { until: undefined, reason: '  ' })), { until: { name: 'The new date', missing: 'Enter the new date', date: true }, reason: { name: 'The reason', missing: 'Enter the reason' } }, () => true);
    expect(errors.summary).to.deep.equal([
      { text: 'Enter the new date', href: '#until-day' },
      { text: 'Enter the reason', href: '#reason' },
    ]);
  });

  it('keeps a refusal without fields as one line, its codes and instants in words and UK time', () => {
    expect(fieldErrors(conflict('Cannot withdraw an appeal that is awaiting_hearing'), words, () => false).summary).to.deep.equal([
      { text: 'Cannot withdraw an appeal that is awaiting a hearing' },
    ]);
    expect(refusalAsFormErrors(unprocessable('A deadline can only be moved later: managerResponse is due 2027-06-30T22:59:59.000Z')).summary).to.deep.equal([
      { text: 'A deadline can only be moved later: manager’s response is due 30 June 2027 at 11:59pm' },
    ]);
  });
});

describe('pages: the success banner', () => {
  it('shows a message left for the page as a GOV.UK success banner above the content', async () => {
    const web = express();
    useNunjucks(web);
    const html = await new Promise<string>((resolve, reject) =>
      web.render('signed-out', { flash: { heading: 'Appeal MUT-2026-000001 withdrawn' } }, (error: Error | null, out?: string) => (error ? reject(error) : resolve(out ?? ''))),
    );
    expect(html).to.include('govuk-notification-banner--success').and.include('Appeal MUT-2026-000001 withdrawn');
    expect(html.indexOf('govuk-notification-banner')).to.be.below(html.indexOf('<h1'));
  });
});
