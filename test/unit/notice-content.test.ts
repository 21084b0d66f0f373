import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { outboxMailer } from '../../activities/mailers';
import { renderNotice, ukLocalTime, type NoticeFacts } from '../../activities/notice-content';

const APPEAL = { reference: 'MUT-2026-000042', proposedMutual: 'Passport Services Mutual', parentBody: 'HM Passport Office', department: 'HO' };

function facts(overrides: Partial<NoticeFacts>): NoticeFacts {
  return {
    kind: 'reminder',
    deadline: 'managerResponse',
    dueAt: new Date('2026-12-01T23:59:59Z'),
    recipientRole: 'manager',
    recipientName: 'Pat Manager',
    appeal: APPEAL,
    decision: null,
    ...overrides,
  };
}

describe('the words of a notice', () => {
  it('gives a deadline in UK local time, GMT in winter and BST in summer', () => {
    expect(ukLocalTime(new Date('2026-12-01T23:59:59Z'))).to.equal('Tuesday 1 December 2026, 23:59:59 GMT');
    expect(ukLocalTime(new Date('2026-07-01T22:59:59Z'))).to.equal('Wednesday 1 July 2026, 23:59:59 BST');
  });

  it('writes midnight as 00:00 and each side of a clock change in its own zone', () => {
    expect(ukLocalTime(new Date('2026-12-01T00:00:00Z'))).to.equal('Tuesday 1 December 2026, 00:00:00 GMT');
    expect(ukLocalTime(new Date('2026-03-29T00:59:59Z'))).to.equal('Sunday 29 March 2026, 00:59:59 GMT');
    expect(ukLocalTime(new Date('2026-03-29T01:00:00Z'))).to.equal('Sunday 29 March 2026, 02:00:00 BST');
    expect(ukLocalTime(new Date('2026-10-25T00:30:00Z'))).to.equal('Sunday 25 October 2026, 01:30:00 BST');
    expect(ukLocalTime(new Date('2026-10-25T01:30:00Z'))).to.equal('Sunday 25 October 2026, 01:30:00 GMT');
  });

  it("reminds the managers of their response: the reference, their role, what is due, by when, and the consequence", () => {
    const { subject, text, html } = renderNotice(facts({}));

    expect(subject).to.equal("[MUT-2026-000042] Reminder: the parent body's response is due by Tuesday 1 December 2026, 23:59:59 GMT (UK time)");
    expect(text).to.contain('Dear Pat Manager,');
    expect(text).to.contain('Appeal MUT-2026-000042: Passport Services Mutual (parent body HM Passport Office, department HO).');
    expect(text).to.contain("You are receiving this as the parent body's manager.");
    expect(text).to.contain("What is due: the parent body's response to the appeal: concede it, or contest it with a statement");
    expect(text).to.contain('Deadline: Tuesday 1 December 2026, 23:59:59 GMT (UK time)');
    expect(text).to.contain('If it is missed: the appeal goes to a hearing before an independent arbiter without the parent body\'s response');
    expect(html).to.contain('<dt>If it is missed</dt>');
    expect(html).to.contain('MUT-2026-000042');
  });

  const consequences = [
    ['hearing', 'arbiter', 'the arbiter assigned to the appeal', 'escalated to the caseworker team; the appeal stays open until the hearing is held'],
    ['decision', 'arbiter', 'the arbiter assigned to the appeal', 'escalated to the caseworker team; the appeal stays open until the decision is made'],
    ['compliance', 'manager', "the parent body's manager", 'the appeal is marked overdue and escalated to the caseworker team'],
  ] as const;
  for (const [deadline, role, roleWords, consequence] of consequences) {
    it(`reminds ${roleWords} of the ${deadline} deadline and says what a miss leads to`, () => {
      const { text } = renderNotice(facts({ deadline, recipientRole: role }));
      expect(text).to.contain(`You are receiving this as ${roleWords}.`);
      expect(text).to.contain(consequence);
    });
  }

  it('tells the caseworkers and the appellant of an escalation what was missed and what happens now', () => {
    const { subject, text } = renderNotice(facts({ kind: 'escalation', recipientRole: 'caseworkers', recipientName: null }));

    expect(subject).to.equal("[MUT-2026-000042] Escalation: the deadline for the parent body's response was missed");
    expect(text).to.contain('Dear caseworker team,');
    expect(text).to.contain('You are receiving this as the caseworker team.');
    expect(text).to.contain('Deadline (passed): Tuesday 1 December 2026, 23:59:59 GMT (UK time)');
    expect(text).to.contain('What happens now: the appeal has gone to a hearing before an independent arbiter');
  });

  it('tells the parties of an overrule when compliance is due, and of a dismissal that nothing more is', () => {
    const overrule = renderNotice(facts({ kind: 'decision', deadline: 'compliance', decision: 'overrule', recipientRole: 'appellant', recipientName: 'Sam' }));
    expect(overrule.subject).to.equal("[MUT-2026-000042] The arbiter has overruled the parent body's managers");
    expect(overrule.text).to.contain("What is due: the parent body's confirmation that it has carried out the arbiter's decision");
    expect(overrule.text).to.contain('You are receiving this as the appellant.');

    const dismiss = renderNotice(facts({ kind: 'decision', deadline: null, dueAt: null, decision: 'dismiss', recipientRole: 'appellant' }));
    expect(dismiss.subject).to.equal('[MUT-2026-000042] The arbiter has dismissed the appeal');
    expect(dismiss.text).to.contain('What is due: nothing further: the decision is binding and final');
  });

  it('says the decision letter is attached when it is, and not when it is not', () => {
    const decided = facts({ kind: 'decision', deadline: null, dueAt: null, decision: 'dismiss', recipientRole: 'manager' });
    expect(renderNotice({ ...decided, letterAttached: true }).text).to.contain('Decision letter: attached as a PDF');
    expect(renderNotice({ ...decided, letterAttached: true }).html).to.contain('<dt>Decision letter</dt>');
    expect(renderNotice(decided).text).not.to.contain('Decision letter');
  });

  it("links a manager's notice, and only a manager's, to the guidance for parent bodies of the appeal's policy version", () => {
    const guidanceUrl = 'https://appeals.example.gov.uk/register/departments/HO/versions/3';
    expect(renderNotice(facts({ guidanceUrl })).text).to.contain(`Guidance for parent bodies: your department's guidance on supporting a request to spin out, as it applies to this appeal: ${guidanceUrl}`);
    expect(renderNotice(facts({ guidanceUrl, recipientRole: 'appellant' })).text).not.to.contain(guidanceUrl);
    expect(renderNotice(facts({ kind: 'deadline_moved', guidanceUrl })).text).to.contain(guidanceUrl);
  });

  it('escapes what people typed before it goes into the HTML body', () => {
    const { html, text } = renderNotice(facts({ appeal: { ...APPEAL, proposedMutual: '<script>alert(1)</script> & Co' } }));
    expect(html).to.not.contain('<script>');
    expect(html).to.contain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(text).to.contain('<script>alert(1)</script> & Co');
  });
});

describe('the outbox mailer', () => {
  it('writes a message a mail reader can open, named by its Message-ID', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    try {
      const mailer = outboxMailer(dir, 'Mutuals appeals <appeals@localhost>');
      const content = renderNotice(facts({}));
      const { providerMessageId } = await mailer.send({ messageId: '<n-1@mutuals-appeals>', to: 'pat@example.gov.uk', ...content });

      expect(providerMessageId).to.equal(path.join(dir, 'n-1.eml'));
      expect(fs.readdirSync(dir)).to.deep.equal(['n-1.eml']);
      const mail = await simpleParser(fs.readFileSync(providerMessageId));
      expect(mail.messageId).to.equal('<n-1@mutuals-appeals>');
      expect(mail.subject).to.equal(content.subject);
      expect(mail.text).to.contain('Dear Pat Manager,');
      expect(mail.html).to.contain('<dt>What is due</dt>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
