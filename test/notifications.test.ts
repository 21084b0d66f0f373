import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { createNoticeDelivery } from '../activities/delivery';
import { smtpMailer, type Mailer } from '../activities/mailers';
import { NoticeDispatcher } from '../worker/notice-dispatcher';
import { appealWorkflowId } from '../workflows/shared';
import type { AppealView } from '../domain/appeal';
import { ukTimeOn } from '../domain/decision-letter';
import { harness } from './harness';
import { castFor, createDepartment, eventually, expectCall, openAppeal, seconds, steps, STRONG_CASE, submission, type Cast } from './support/appeals';
import {
  signedPartsOf,
  startSmtpServer,
  startWebhookReceiver,
  verifyWebhook,
  waitFor,
  type ReceivedMail,
  type TestSmtpServer,
} from './support/mail';
import { pdfText } from './support/pdf';
import { newTaskQueue, openAppealOn, runWorker } from './support/workers';

interface NoticeRow {
  id: string;
  kind: string;
  deadline_kind: string | null;
  recipient: string;
  recipient_role: 'manager' | 'arbiter' | 'caseworkers' | 'appellant';
  due_at: Date | null;
  status: string;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  webhook_delivered_at: Date | null;
  delivered_at: Date | null;
}

async function noticeRows(appealId: string): Promise<NoticeRow[]> {
  return harness().dataSource.query(`SELECT * FROM notifications WHERE appeal_id = $1 ORDER BY created_at, dedupe_key`, [appealId]);
}

const label = (row: NoticeRow) => `${row.kind}:${row.deadline_kind ?? '-'}:${row.recipient_role}`;
const messageIdOf = (noticeId: string) => `<${noticeId}@mutuals-appeals>`;

/** The workflow ends only once every notice went out, so after this every delivery has finished. */
async function workflowResult(appealId: string): Promise<string> {
  return harness().client.workflow.getHandle(appealWorkflowId(appealId)).result();
}

const ROLE_WORDS: Record<NoticeRow['recipient_role'], string> = {
  manager: "the parent body's manager",
  arbiter: 'the arbiter assigned to the appeal',
  caseworkers: 'the caseworker team',
  appellant: 'the appellant',
};

/** "27 November 2026, 23:59:59" as a clock in London shows it. */
function ukTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}:${part('second')}`;
}

function expectContent(mail: ReceivedMail, row: NoticeRow, reference: string): void {
  const about = label(row);
  expect(mail.to, about).to.deep.equal([row.recipient]);
  expect(mail.subject, about).to.contain(reference);
  expect(mail.text, about).to.contain(`Appeal ${reference}`);
  expect(mail.text, about).to.contain(`You are receiving this as ${ROLE_WORDS[row.recipient_role]}.`);
  if (row.due_at) expect(mail.text, about).to.contain(ukTime(row.due_at));
  expect(mail.text, about).to.match(row.kind === 'escalation' ? /What happens now: \w/ : /If it is missed: \w/);
  expect(mail.html, about).to.contain(reference);
}

/** Each notice of the appeal arrived exactly once, to its recipient, saying what it should. */
async function expectEachMailedOnce(smtp: TestSmtpServer, appeal: AppealView, expected: string[]): Promise<NoticeRow[]> {
  const rows = await noticeRows(appeal.id);
  expect(rows.map(label)).to.have.members(expected);
  for (const row of rows) {
    const copies = smtp.copiesOf(messageIdOf(row.id));
    expect(copies, label(row)).to.have.lengthOf(1);
    expectContent(copies[0], row, appeal.reference);
    expect(row.status).to.equal('sent');
    expect(row.provider_message_id, 'the id the SMTP server gave it').to.equal(copies[0].queueId);
  }
  return rows;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The decision notices to the appellant and the manager carry the decision letter, and no other
 * notice carries anything: the PDF the appeal lists, its hash the timeline's and the download's.
 * Answers the letter's text.
 */
async function expectLetterAttached(smtp: TestSmtpServer, cast: Cast, appeal: AppealView, rows: NoticeRow[]): Promise<string> {
  const mailOf = (row: NoticeRow) => smtp.copiesOf(messageIdOf(row.id))[0];
  for (const row of rows.filter((r) => r.kind !== 'decision')) expect(mailOf(row).attachments, label(row)).to.deep.equal([]);
  const decisionRows = rows.filter((row) => row.kind === 'decision');
  expect(decisionRows.map((row) => row.recipient_role)).to.have.members(['appellant', 'manager']);
  const [letter, other] = decisionRows.map((row) => mailOf(row).attachments);
  expect(letter, 'one attachment').to.have.lengthOf(1);
  expect(letter[0]).to.include({ filename: `${appeal.reference}-decision-letter.pdf`, contentType: 'application/pdf' });
  expect(other).to.have.lengthOf(1);
  expect(other[0].content.equals(letter[0].content), 'the same letter to both parties').to.equal(true);
  for (const row of decisionRows) expect(mailOf(row).text, label(row)).to.contain('Decision letter: attached as a PDF');
  const hash = sha256(letter[0].content);

  const { api, apiUrl } = harness();
  const listed = (await api('GET', `/v1/appeals/${appeal.id}/documents`, { token: cast.manager })).body.items.filter((d: { category: string }) => d.category === 'decision_letter');
  expect(listed.map((d: { sha256: string; title: string }) => [d.title, d.sha256])).to.deep.equal([['Decision letter', hash]]);
  const timeline = (await api('GET', `/v1/appeals/${appeal.id}/timeline`, { token: cast.caseworker })).body;
  expect(timeline.verified).to.equal(true);
  const added = timeline.items.filter((event: { type: string }) => event.type === 'document_added');
  expect(added.map((event: { data: { id: string; sha256: string } }) => [event.data.id, event.data.sha256])).to.deep.equal([[listed[0].id, hash]]);
  const download = await fetch(`${apiUrl}/v1/appeals/${appeal.id}/documents/${listed[0].id}`, { headers: { authorization: `Bearer ${cast.arbiter}` } });
  expect(download.status).to.equal(200);
  expect(sha256(Buffer.from(await download.arrayBuffer()))).to.equal(hash);

  const text = await pdfText(letter[0].content);
  const html = await fetch(`${apiUrl}/v1/appeals/${appeal.id}/decision-letter.html`, { headers: { authorization: `Bearer ${cast.manager}` } });
  expect(html.status).to.equal(200);
  expect(html.headers.get('content-type')).to.equal('text/html; charset=utf-8');
  const page = await html.text();
  expect(page).to.contain('<html lang="en-GB">');
  const words = [...page.matchAll(/<(?:h1|h2|p|li)>([^<]*)<\/(?:h1|h2|p|li)>/g)].map(([, line]) => line.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
  expect(words.length).to.be.above(10);
  // The PDF breaks its lines at spaces and hyphens (a long arbiter id, say): compared without whitespace.
  const unspaced = (words: string) => words.replace(/\s+/g, '');
  for (const line of words) expect(unspaced(text), `the PDF says what the HTML says: ${line}`).to.contain(unspaced(line));
  return text;
}

/** Passes mail on, but after the server accepted the first message to `to`, fails as a worker dying before it marked the notice sent. */
function stoppingAfterAccepted(mailer: Mailer, to: string): { mailer: Mailer; accepted: Promise<void> } {
  let signal: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => (signal = resolve));
  let stopped = false;
  return {
    accepted,
    mailer: {
      async send(mail) {
        const result = await mailer.send(mail);
        if (mail.to !== to || stopped) return result;
        stopped = true;
        signal();
        // The worker dies here: the notice is never marked sent by this attempt.
        throw new Error('the worker stopped before marking the notice sent');
      },
    },
  };
}

describe('notices delivered by email through SMTP', () => {
  let smtp: TestSmtpServer;
  const smtpFor = () => smtpMailer(smtp.url, harness().config.mail.from);

  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp.stop();
  });

  it('reminds the managers, escalates their default, and emails each notice once to the right person', async () => {
    const department = await createDepartment({ managerResponse: seconds(3), reminders: [seconds(2)] });
    const cast = await castFor(department);
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await eventually(cast, opened.id, (a) => a.managerDefaulted);
      await steps.withdraw(cast, opened.id);
      expect(await workflowResult(opened.id)).to.equal('withdrawn');

      const rows = await expectEachMailedOnce(smtp, opened, [
        'appeal_opened:managerResponse:manager',
        'appeal_opened:managerResponse:appellant',
        'reminder:managerResponse:manager',
        'escalation:managerResponse:caseworkers',
        'escalation:managerResponse:appellant',
      ]);
      const addresses = Object.fromEntries(rows.map((row) => [row.recipient_role, row.recipient]));
      const parties = submission(department) as { parentBody: { managerEmail: string }; appellant: { email: string } };
      expect(addresses).to.deep.equal({
        manager: parties.parentBody.managerEmail,
        appellant: parties.appellant.email,
        caseworkers: harness().config.mail.caseworkerTeam,
      });
    } finally {
      await worker.stop();
    }
  });

  it('emails the arbiter, the parties and the caseworkers through a missed hearing, an overrule with its decision letter attached, and a missed compliance deadline', async () => {
    const department = await createDepartment({ hearingWithin: seconds(4), complianceWithin: seconds(4), reminders: [seconds(2)] });
    const cast = await castFor(department);
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await steps.contest(cast, opened.id);
      await steps.assignArbiter(cast, opened.id);
      await eventually(cast, opened.id, (a) => a.overdue);
      await steps.scheduleHearing(cast, opened.id);
      await steps.hold(cast, opened.id);
      await steps.overrule(cast, opened.id);
      await eventually(cast, opened.id, (a) => a.overdue);
      await steps.comply(cast, opened.id);
      expect(await workflowResult(opened.id)).to.equal('complied');

      const rows = await expectEachMailedOnce(smtp, opened, [
        'appeal_opened:managerResponse:manager',
        'appeal_opened:managerResponse:appellant',
        'reminder:hearing:arbiter',
        'escalation:hearing:caseworkers',
        'escalation:hearing:appellant',
        'decision:compliance:appellant',
        'decision:compliance:manager',
        'reminder:compliance:manager',
        'escalation:compliance:caseworkers',
        'escalation:compliance:appellant',
      ]);
      const arbiterNotice = rows.find((row) => row.recipient_role === 'arbiter');
      expect(arbiterNotice?.recipient).to.equal(`${cast.arbiterId}@arbiters.example.org`);

      const letter = await expectLetterAttached(smtp, cast, opened, rows);
      expect(letter).to.contain(`Decision on appeal ${opened.reference}`);
      expect(letter).to.contain('The appeal is allowed: the arbiter overrules the managers');
      for (const [criterion, name] of Object.entries({ financialViability: 'Financial viability', serviceQuality: 'Service quality', staffSupport: 'Staff support', valueForMoney: 'Value for money', continuityOfService: 'Continuity of service' })) {
        expect(letter, name).to.contain(`${name}: ${STRONG_CASE[criterion as keyof typeof STRONG_CASE]} out of 5 (at least 2 needed: threshold met)`);
      }
      expect(letter).to.contain('Total: 17 out of 25 (at least 15 needed: threshold met)');
      const compliance = rows.find((row) => row.kind === 'decision')?.due_at as Date;
      expect(letter).to.contain(`and confirm that it has done so by ${ukTimeOn(compliance)}`);
    } finally {
      await worker.stop();
    }
  });

  it('keeps the appeal moving while the mail server refuses, and delivers each notice once after it recovers', async () => {
    const department = await createDepartment({ managerResponse: seconds(2) });
    const cast = await castFor(department);
    smtp.refuse(true);
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      const refused = await waitFor('a refused delivery', async () => (await noticeRows(opened.id)).find((row) => row.status === 'failed'));
      expect(refused.last_error).to.match(/^mail: .*451/);
      expect(refused.attempts).to.be.at.least(1);

      const defaulted = await eventually(cast, opened.id, (a) => a.managerDefaulted);
      expect(defaulted.status).to.equal('awaiting_hearing');
      expect((await noticeRows(opened.id)).filter((row) => row.status === 'sent')).to.deep.equal([]);

      smtp.refuse(false);
      await steps.withdraw(cast, opened.id);
      expect(await workflowResult(opened.id)).to.equal('withdrawn');
      const rows = await expectEachMailedOnce(smtp, opened, [
        'appeal_opened:managerResponse:manager',
        'appeal_opened:managerResponse:appellant',
        'escalation:managerResponse:caseworkers',
        'escalation:managerResponse:appellant',
      ]);
      expect(rows.filter((row) => row.kind === 'appeal_opened').every((row) => row.attempts > 1)).to.equal(true);

      // The deadline fired on time although no mail had gone: delivery never held the appeal up.
      const timeline = await expectCall(200, 'GET', `/v1/appeals/${opened.id}/timeline`, cast.caseworker);
      const defaultedAt = Date.parse(timeline.items.find((e: { type: string }) => e.type === 'manager_defaulted').at);
      const firstAccepted = Math.min(...rows.map((row) => smtp.copiesOf(messageIdOf(row.id))[0].receivedAt.getTime()));
      expect(defaultedAt).to.be.below(firstAccepted);
      expect(defaultedAt - Date.parse(opened.deadlines.managerResponseDue ?? '')).to.be.below(2_000);
    } finally {
      smtp.refuse(false);
      await worker.stop();
    }
  });

  it('loses no notice when the worker stops after the server accepted it: the resend carries the same Message-ID', async () => {
    const department = await createDepartment();
    const cast = await castFor(department);
    const taskQueue = newTaskQueue();
    const managerEmail = (submission(department) as { parentBody: { managerEmail: string } }).parentBody.managerEmail;
    const stopping = stoppingAfterAccepted(smtpFor(), managerEmail);
    const first = await runWorker(taskQueue, undefined, { mailer: stopping.mailer });
    let opened: AppealView;
    try {
      opened = await openAppealOn(taskQueue, department);
      await stopping.accepted;
    } finally {
      await first.stop();
    }
    const managerNotice = (await noticeRows(opened.id)).find((row) => row.recipient_role === 'manager');
    if (!managerNotice) throw new Error('no notice for the manager');
    expect(managerNotice.status, 'accepted by the server, not marked sent').to.not.equal('sent');

    const second = await runWorker(taskQueue, undefined, { mailer: smtpFor() });
    try {
      await steps.concede(cast, opened.id);
      expect(await workflowResult(opened.id)).to.equal('conceded');
    } finally {
      await second.stop();
    }

    const rows = await noticeRows(opened.id);
    expect(rows.map((row) => row.status)).to.deep.equal(['sent', 'sent']);
    const copies = smtp.copiesOf(messageIdOf(managerNotice.id));
    // At most twice: the copy accepted before the stop, and the retry's. Receivers drop the second by its Message-ID.
    expect(copies).to.have.lengthOf.within(1, 2);
    expect(new Set(copies.map((mail) => mail.messageId)).size).to.equal(1);
    expect(new Set(copies.map((mail) => mail.text))).to.have.property('size', 1);
    const appellantNotice = rows.find((row) => row.recipient_role === 'appellant');
    expect(smtp.copiesOf(messageIdOf(appellantNotice?.id ?? ''))).to.have.lengthOf(1);
  });

  it('sends a step’s notices from the worker that recorded it, with no activity of their own', async () => {
    const department = await createDepartment();
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      const rows = await waitFor('both opening notices sent', async () => {
        const rows = await noticeRows(opened.id);
        return rows.length === 2 && rows.every((row) => row.status === 'sent' && row.delivered_at !== null) ? rows : undefined;
      });
      for (const row of rows) expect(smtp.copiesOf(messageIdOf(row.id)), label(row)).to.have.lengthOf(1);

      // Sent while the appeal waits for its managers, and no activity was scheduled to send them.
      const handle = harness().client.workflow.getHandle(appealWorkflowId(opened.id));
      expect((await handle.describe()).status.name).to.equal('RUNNING');
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes);
      expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).to.deep.equal([]);
    } finally {
      await worker.stop();
    }
  });

  it('sweeps up the notices a worker left unsent, and two workers sweeping at once send each of them once', async () => {
    const department = await createDepartment();
    smtp.refuse(true);
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    let opened: AppealView;
    try {
      opened = await openAppealOn(worker.taskQueue, department);
      await waitFor('both opening notices refused', async () => {
        const rows = await noticeRows(opened.id);
        return rows.length === 2 && rows.every((row) => row.status === 'failed') ? rows : undefined;
      });
    } finally {
      await worker.stop();
      smtp.refuse(false);
    }

    const { dataSource } = harness();
    const sweeper = () => new NoticeDispatcher(createNoticeDelivery({ dataSource, mailer: smtpFor() }), dataSource, { lanes: 4, sweepEveryMs: 60_000, sweepAfterMs: 0 });
    const workers = [sweeper(), sweeper()];
    for (const w of workers) w.start();
    // Other tests' leftovers are older and swept first: sweep until this appeal's notices went.
    const rows = await waitFor('both notices swept up', async () => {
      await Promise.all(workers.map((w) => w.sweep()));
      await Promise.all(workers.map((w) => w.settled()));
      const rows = await noticeRows(opened.id);
      return rows.every((row) => row.status === 'sent') ? rows : undefined;
    });
    await Promise.all(workers.map((w) => w.stop()));
    for (const row of rows) {
      expect(smtp.copiesOf(messageIdOf(row.id)), label(row)).to.have.lengthOf(1);
      expect(row.attempts, label(row)).to.equal(2);
      expect(row.delivered_at, label(row)).to.be.an.instanceOf(Date);
    }
  });

  it('lists each notice with its recipient, due instant, status and when it was sent', async () => {
    const department = await createDepartment();
    const cast = await castFor(department);
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpFor() });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await steps.concede(cast, opened.id);
      await workflowResult(opened.id);

      const listed = await expectCall(200, 'GET', `/v1/appeals/${opened.id}/notifications`, cast.caseworker);

      expect(listed.items).to.have.length(2);
      for (const item of listed.items) {
        expect(item).to.include({ kind: 'appeal_opened', status: 'sent', dueAt: opened.deadlines.managerResponseDue });
        expect(item.recipient).to.match(/@/);
        expect(Date.parse(item.sentAt)).to.be.at.least(Date.parse(opened.createdAt));
      }
    } finally {
      await worker.stop();
    }
  });
});

describe('notices delivered by webhook', () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp.stop();
  });

  it('signs each notice so the receiver can verify it, and a tampered body fails verification', async () => {
    const receiver = await startWebhookReceiver();
    const department = await createDepartment();
    const cast = await castFor(department);
    const webhook = { url: receiver.url, secret: receiver.secret };
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpMailer(smtp.url, harness().config.mail.from), webhook });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await steps.concede(cast, opened.id);
      await workflowResult(opened.id);

      const rows = await noticeRows(opened.id);
      expect(receiver.received).to.have.length(2);
      expect(receiver.received.every((w) => w.verified)).to.equal(true);
      const payloads = receiver.received.map((w) => JSON.parse(w.body));
      expect(payloads.map((p) => p.id)).to.have.members(rows.map((row) => row.id));
      for (const row of rows) {
        const payload = payloads.find((p) => p.id === row.id);
        expect(payload).to.deep.equal({
          id: row.id,
          kind: 'appeal_opened',
          appealId: opened.id,
          reference: opened.reference,
          recipient: row.recipient,
          recipientRole: row.recipient_role,
          deadline: 'managerResponse',
          dueAt: row.due_at?.toISOString(),
        });
        expect(row.webhook_delivered_at).to.be.an.instanceOf(Date);
      }

      const genuine = signedPartsOf(receiver.received[0]);
      expect(verifyWebhook(receiver.secret, genuine)).to.equal(true);
      expect(verifyWebhook(receiver.secret, { ...genuine, body: genuine.body.replace(opened.reference, 'MUT-1999-000001') })).to.equal(false);
      expect(verifyWebhook('someone else', genuine)).to.equal(false);
    } finally {
      await worker.stop();
      await receiver.stop();
    }
  });

  it('retries a webhook the receiver refused, without emailing the notice again', async () => {
    const receiver = await startWebhookReceiver();
    receiver.failNext(3);
    const department = await createDepartment();
    const cast = await castFor(department);
    const webhook = { url: receiver.url, secret: receiver.secret };
    const worker = await runWorker(newTaskQueue(), undefined, { mailer: smtpMailer(smtp.url, harness().config.mail.from), webhook });
    try {
      const opened = await openAppealOn(worker.taskQueue, department);
      await steps.concede(cast, opened.id);
      await workflowResult(opened.id);

      const rows = await noticeRows(opened.id);
      expect(receiver.received.map((w) => JSON.parse(w.body).id)).to.have.members(rows.map((row) => row.id));
      expect(rows.some((row) => row.attempts > 1 && /^webhook: .*503/.test(row.last_error ?? ''))).to.equal(true);
      for (const row of rows) {
        expect(row.status).to.equal('sent');
        expect(smtp.copiesOf(messageIdOf(row.id))).to.have.lengthOf(1);
      }
    } finally {
      await worker.stop();
      await receiver.stop();
    }
  });
});

describe('notices without an SMTP server', () => {
  it('are written as .eml files under the outbox folder, one per notice', async () => {
    const cast = await castFor(await createDepartment());
    const opened = await openAppeal(cast);
    await steps.concede(cast, opened.id);
    await workflowResult(opened.id);

    const rows = await noticeRows(opened.id);
    expect(rows).to.have.length(2);
    for (const row of rows) {
      const file = path.join(harness().config.dataDir, 'outbox', `${row.id}.eml`);
      const mail = await simpleParser(fs.readFileSync(file));
      expect(mail.messageId).to.equal(messageIdOf(row.id));
      expect(mail.subject).to.contain(opened.reference);
      expect(mail.text).to.contain(`You are receiving this as ${ROLE_WORDS[row.recipient_role]}.`);
      expect(row).to.include({ status: 'sent', provider_message_id: file });
    }
  });
});
