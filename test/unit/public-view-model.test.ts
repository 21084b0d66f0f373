import { expect } from 'chai';
import { policyChanges, policyInPlainEnglish, publicDecision, renderGuidance } from '../../api/public/view-model';
import type { DecisionRow } from '../../db/register';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';

const policy = (changes: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...changes });

describe('the public view model', () => {
  it('says a policy in plain English, from its data', () => {
    expect(policyInPlainEnglish(policy({ calendar: 'scotland' }))).to.deep.equal([
      'The parent body must answer an appeal within 20 working days (Scotland bank holidays) of it being opened: it concedes the appeal, or contests it with a statement. If it does not answer in time, the appeal goes to a hearing without its response.',
      'An independent arbiter must hold the hearing within 30 working days (Scotland bank holidays) of the parent body contesting the appeal or not answering in time.',
      'The arbiter must decide within 10 working days (Scotland bank holidays) of the hearing being held.',
      'If the arbiter overrules the managers, the parent body must carry out the decision and confirm it within 30 working days (Scotland bank holidays).',
      'The arbiter scores the business case from 0 to 5 on each of 5 criteria (financial viability, service quality, staff support, value for money and continuity of service), and may overrule the managers only if every score is at least 2 and the total is at least 15 out of 25.',
      'Reminders go out 5 working days and 1 working day before each deadline.',
    ]);
  });

  it('says what changed between two versions', () => {
    const before = { policy: policy(), guidance: '' };
    const after = { policy: policy({ managerResponse: { amount: 15, unit: 'working_days' }, overruleMinimumTotal: 14, reminders: [] }), guidance: 'New' };
    expect(policyChanges(before, after)).to.deep.equal([
      'Manager’s response: 20 working days, now 15 working days',
      'Lowest total score for an overrule: 15, now 14',
      'Reminders: 5 working days and 1 working day, now none',
      'Guidance for parent bodies rewritten',
    ]);
    expect(policyChanges(before, before)).to.deep.equal([]);
  });

  it('renders guidance Markdown with whatever HTML was typed shown as text', () => {
    expect(renderGuidance('**Meet** the staff')).to.equal('<p class="govuk-body"><strong>Meet</strong> the staff</p>\n');
    expect(renderGuidance('## Ask\n\n- one\n- [two](https://www.gov.uk/)')).to.equal(
      '<h2 class="govuk-heading-m">Ask</h2>\n<ul class="govuk-list govuk-list--bullet">\n<li><a href="https://www.gov.uk/" class="govuk-link">two</a></li>\n</ul>\n'.replace('<li><a', '<li>one</li>\n<li><a'),
    );
    const html = renderGuidance('<script>alert(1)</script>\n\n<a href="javascript:alert(1)">x</a> [y](javascript:alert(2)) [z](vbscript:x)');
    expect(html).not.to.match(/<script|<a href="javascript|href="vbscript/);
  });

  it('publishes a decision by named fields only, whatever else the row holds', () => {
    const row = {
      reference: 'MUT-2026-000001',
      departmentCode: 'HO',
      departmentName: 'Home Office',
      parentBody: { name: 'HM Passport Office', managerName: 'Pat Manager', managerEmail: 'pat@example.gov.uk' },
      proposedMutual: { name: 'Passport Mutual', service: 'passports', staffCount: 12 },
      groundsOfAppeal: 'no_response',
      outcome: 'overrule',
      assessment: { financialViability: 4, serviceQuality: 4, staffSupport: 3, valueForMoney: 3, continuityOfService: 3, arbiterNote: 'Robin' },
      reasons: 'Sound.',
      decidedAt: new Date('2026-11-02T10:00:00Z'),
      policyVersion: 2,
      policy: { overruleMinimumEach: 2, overruleMinimumTotal: 15 },
      status: 'awaiting_compliance',
      overdue: true,
    } as unknown as DecisionRow;
    const published = JSON.stringify(publicDecision(row));
    expect(published).not.to.match(/Pat Manager|pat@example|Robin|staffCount/);
    expect(publicDecision(row).compliance).to.equal('overdue');
    expect(publicDecision(row).assessment.total).to.equal(17);
  });
});
