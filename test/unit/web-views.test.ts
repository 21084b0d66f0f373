import { expect } from 'chai';
import express from 'express';
import { ukDate, ukDateTime } from '../../web/dates';
import { useNunjucks } from '../../web/views';

const web = express();
useNunjucks(web);
web.locals.serviceName = 'Mutuals appeals';

const render = (view: string, locals: Record<string, unknown>) =>
  new Promise<string>((resolve, reject) => web.render(view, locals, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? ''))));

describe('pages: layout and filters', () => {
  it('shows dates in UK local time, GMT and BST alike', () => {
    expect(ukDateTime('2027-01-13T23:59:59.000Z')).to.equal('13 January 2027 at 11:59pm');
    expect(ukDateTime('2027-06-30T22:59:59.000Z')).to.equal('30 June 2027 at 11:59pm');
    expect(ukDate('2027-03-05')).to.equal('5 March 2027');
  });

  it('puts a form\'s errors in a GOV.UK error summary at the top, and "Error:" in the title', async () => {
    const html = await render('signed-out', { errors: { summary: [{ text: 'Enter a statement', href: '#statement' }], fields: {} } });
    expect(html).to.match(/<title>Error: You have signed out – Mutuals appeals – GOV.UK<\/title>/);
    expect(html).to.include('govuk-error-summary').and.include('<a href="#statement"').and.include('Enter a statement');
    expect(html.indexOf('govuk-error-summary')).to.be.below(html.indexOf('<h1'));
  });

  it('escapes what people typed, and puts the CSP nonce on the one inline script', async () => {
    const html = await render('sign-in/refused', { roleClaim: '<script>alert(1)</script>', cspNonce: 'abc123' });
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)');
    const inline = html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
    expect(inline).to.have.length(1);
    expect(inline[0]).to.include('nonce="abc123"');
  });
});
