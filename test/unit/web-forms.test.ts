import { expect } from 'chai';
import { ManagerResponseSchema } from '../../api/appeals/schemas';
import { AppError, conflict, unprocessable } from '../../api/errors';
import { parse } from '../../api/validation';
import { refusalAsFormErrors, typedValues } from '../../web/forms';

describe('pages: engine refusals as form errors', () => {
  const refusalOf = (act: () => unknown): unknown => {
    try {
      act();
    } catch (error) {
      return error;
    }
    throw new Error('expected a refusal');
  };

  it('puts each field problem of a 400 on its field, linked from the summary, in the service\'s words where given', () => {
    const refusal = refusalOf(() => parse(ManagerResponseSchema, { position: 'maybe', statement: '' }));
    const errors = refusalAsFormErrors(refusal, { position: 'Select whether you concede or contest the appeal' });
    expect(errors.fields.position).to.deep.equal({ text: 'Select whether you concede or contest the appeal' });
    expect(errors.fields.statement.text).to.be.a('string').and.not.equal('');
    expect(errors.summary).to.deep.include({ text: 'Select whether you concede or contest the appeal', href: '#position' });
    expect(errors.summary.map((s) => s.href)).to.deep.equal(['#position', '#statement']);
  });

  it('names nested fields by their path and links to their id', () => {
    const errors = refusalAsFormErrors(unprocessable('There is no department XX', [{ path: 'body.parentBody.name', message: 'too long' }]));
    expect(errors.summary).to.deep.equal([{ text: 'Too long', href: '#parentBody-name' }]);
  });

  it('shows a 409 or a 422 without fields as one line, statuses in words', () => {
    expect(refusalAsFormErrors(conflict('Cannot concede an appeal that is awaiting_hearing')).summary).to.deep.equal([
      { text: 'Cannot concede an appeal that is awaiting a hearing' },
    ]);
    const overrule = refusalAsFormErrors(unprocessable('The business case is not strong enough to overrule the managers (scored below 2: financialViability).'));
    expect(overrule.summary[0].text).to.include('scored below 2: financialViability');
  });

  it('passes anything that is not a refusal on to the error pages', () => {
    const failure = new Error('connection terminated');
    expect(() => refusalAsFormErrors(failure)).to.throw(failure);
    expect(() => refusalAsFormErrors(new AppError(404, 'No such appeal'))).to.throw(AppError);
  });

  it('keeps what was typed, never the CSRF token', () => {
    expect(typedValues({ _csrf: 'secret', statement: 'We considered it.' })).to.deep.equal({ statement: 'We considered it.' });
  });
});
