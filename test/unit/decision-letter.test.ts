import { expect } from 'chai';
import { getDocumentProxy } from 'unpdf';
import { letterHtml, letterPdf } from '../../activities/decision-letter';
import { decisionLetter, ukTimeOn, type DecisionLetter, type DecisionLetterFacts } from '../../domain/decision-letter';
import { pdfText } from '../support/pdf';

const OVERRULE: DecisionLetterFacts = {
  appeal: {
    reference: 'MUT-2026-000042',
    department: 'HO',
    policyVersion: 3,
    parentBody: { name: 'HM Passport Office', managerName: 'Pat Manager', managerEmail: 'pat@example.org' },
    appellant: { name: 'Alex Appellant', email: 'alex@example.org' },
    proposedMutual: { name: 'Passport Services Mutual', service: 'Passport applications', staffCount: 120, annualTurnoverPence: 500_000_000 },
    groundsOfAppeal: 'refused_unreasonably',
    requestSubmittedOn: '2026-02-02',
  },
  policy: { overruleMinimumEach: 2, overruleMinimumTotal: 15 },
  decision: {
    outcome: 'overrule',
    assessment: { financialViability: 4, serviceQuality: 3, staffSupport: 5, valueForMoney: 2, continuityOfService: 4 },
    reasons: 'The business case is sound.\n\nThe staff ballot  shows strong support.',
    arbiterId: 'arb-7',
    decidedAt: '2026-05-19T13:05:00.000Z',
  },
  complianceDueAt: '2026-06-30T22:59:59.000Z',
};

const DISMISSAL: DecisionLetterFacts = {
  ...OVERRULE,
  decision: { ...OVERRULE.decision, outcome: 'dismiss', assessment: { financialViability: 1, serviceQuality: 2, staffSupport: 3, valueForMoney: 1, continuityOfService: 2 } },
  complianceDueAt: null,
};

const headings = (letter: DecisionLetter) => letter.sections.map((section) => section.heading);
const sectionOf = (letter: DecisionLetter, heading: string) => letter.sections.find((section) => section.heading === heading);
const allText = (letter: DecisionLetter) => [letter.title, ...letter.preamble, ...letter.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...(s.items ?? [])])].join('\n');

describe('the decision letter', () => {
  it('writes a compliance deadline as a clock in the UK shows it, in summer and in winter', () => {
    expect(ukTimeOn('2026-06-30T22:59:59.000Z')).to.equal('23:59 on Tuesday 30 June 2026 (UK time)');
    expect(ukTimeOn('2026-12-01T23:59:59.000Z')).to.equal('23:59 on Tuesday 1 December 2026 (UK time)');
  });

  it("of an overrule names the parties, the grounds, each score against the thresholds, the outcome, the reasons, what the parent body must do by when, and the policy version", () => {
    const letter = decisionLetter(OVERRULE);
    expect(letter.title).to.equal('Decision on appeal MUT-2026-000042');
    expect(letter.fileName).to.equal('MUT-2026-000042-decision-letter.pdf');
    expect(letter.date.toISOString()).to.equal(OVERRULE.decision.decidedAt);
    expect(letter.preamble).to.include('Date of decision: 19 May 2026');
    expect(headings(letter)).to.deep.equal([
      'The parties',
      'The appeal',
      'The business case against the policy thresholds',
      'The decision',
      'Reasons',
      'What the parent body must do',
      'About this decision',
    ]);
    expect(sectionOf(letter, 'The parties')?.items).to.deep.equal([
      'The appellant: Alex Appellant, for the proposed mutual Passport Services Mutual (Passport applications)',
      'The parent body: HM Passport Office, its manager Pat Manager',
    ]);
    expect(sectionOf(letter, 'The appeal')?.paragraphs).to.include('Grounds of appeal: The parent body refused unreasonably.');
    expect(sectionOf(letter, 'The business case against the policy thresholds')?.items).to.deep.equal([
      'Financial viability: 4 out of 5 (at least 2 needed: threshold met)',
      'Service quality: 3 out of 5 (at least 2 needed: threshold met)',
      'Staff support: 5 out of 5 (at least 2 needed: threshold met)',
      'Value for money: 2 out of 5 (at least 2 needed: threshold met)',
      'Continuity of service: 4 out of 5 (at least 2 needed: threshold met)',
      'Total: 18 out of 25 (at least 15 needed: threshold met)',
    ]);
    expect(sectionOf(letter, 'The decision')?.paragraphs[0]).to.match(/^The appeal is allowed: the arbiter overrules the managers of HM Passport Office/);
    expect(sectionOf(letter, 'Reasons')?.paragraphs).to.deep.equal(['The business case is sound.', 'The staff ballot shows strong support.']);
    expect(sectionOf(letter, 'What the parent body must do')?.paragraphs[0]).to.contain('by 23:59 on Tuesday 30 June 2026 (UK time)');
    expect(sectionOf(letter, 'About this decision')?.paragraphs).to.include('It was made under version 3 of the HO policy, the version in force when the appeal was opened.');
    expect(allText(letter)).not.to.contain('@example.org');
  });

  it('of a dismissal says the refusal stands, marks the thresholds not met, and sets the parent body nothing to do', () => {
    const letter = decisionLetter(DISMISSAL);
    expect(headings(letter)).not.to.include('What the parent body must do');
    expect(sectionOf(letter, 'The decision')?.paragraphs[0]).to.equal('The appeal is dismissed: the refusal by the managers of HM Passport Office stands.');
    const scores = sectionOf(letter, 'The business case against the policy thresholds')?.items ?? [];
    expect(scores[0]).to.equal('Financial viability: 1 out of 5 (at least 2 needed: threshold not met)');
    expect(scores[5]).to.equal('Total: 9 out of 25 (at least 15 needed: threshold not met)');
    expect(allText(letter)).not.to.contain('must carry out');
  });

  it('lays out the same words as a tagged PDF in en-GB with the decision time as its dates, byte for byte the same each time', async () => {
    const letter = decisionLetter(OVERRULE);
    const [pdf, again] = await Promise.all([letterPdf(letter), letterPdf(decisionLetter(OVERRULE))]);
    expect(pdf.equals(again), 'the same letter twice').to.equal(true);
    expect(pdf.toString('latin1')).to.match(/\/Marked true/);
    const document = await getDocumentProxy(new Uint8Array(pdf));
    const info = (await document.getMetadata()).info as Record<string, string>;
    expect(info).to.include({ Language: 'en-GB', Title: letter.title, CreationDate: 'D:20260519130500Z', ModDate: 'D:20260519130500Z' });
    const tree = await document.getPage(1).then((page) => page.getStructTree());
    const roles = JSON.stringify(tree);
    for (const role of ['"H1"', '"H2"', '"P"', '"L"', '"LI"']) expect(roles, role).to.contain(role);

    const text = await pdfText(pdf);
    for (const line of [letter.title, ...letter.preamble, ...letter.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...(s.items ?? [])])]) {
      expect(text, line).to.contain(line.replace(/\s+/g, ' '));
    }
  });

  it("shows a name beyond the standard fonts' characters by its base letters, leaving the rest of its line intact", async () => {
    const facts = { ...OVERRULE, appeal: { ...OVERRULE.appeal, appellant: { name: 'Łukasz Żółć 王', email: 'l@example.org' } } };
    const text = await pdfText(await letterPdf(decisionLetter(facts)));
    expect(text).to.contain('The appellant: Lukasz Zólc ?, for the proposed mutual Passport Services Mutual');
    expect(letterHtml(decisionLetter(facts))).to.contain('Łukasz Żółć 王');
  });

  it('lays out the same words as HTML in en-GB, with the text escaped', () => {
    const letter = decisionLetter({ ...OVERRULE, decision: { ...OVERRULE.decision, reasons: 'Sound <b>case</b> & "support"' } });
    const html = letterHtml(letter);
    expect(html).to.contain('<html lang="en-GB">');
    expect(html).to.contain('<h1>Decision on appeal MUT-2026-000042</h1>');
    expect(html).to.contain('<h2>What the parent body must do</h2>');
    expect(html).to.contain('<li>Total: 18 out of 25 (at least 15 needed: threshold met)</li>');
    expect(html).to.contain('<p>Sound &#60;b&#62;case&#60;/b&#62; &#38; &#34;support&#34;</p>');
  });
});
