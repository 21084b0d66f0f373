/**
 * Scenario 5, ambiguous commits: the worker runs with FAULTS_FAIL_AFTER_COMMIT, so its recording
 * activities (openAppeal, recordStep, deliverNotice) throw after their transaction committed on a
 * share of first attempts, as when the answer is lost on the way back. Temporal retries them; the
 * retries write nothing twice, and every notice is mailed exactly once.
 */
import { expect } from 'chai';
import { castFor, driveAllPaths, PATH_NAMES } from './appeals';
import { checkInvariants } from './invariants';
import { stopwatch } from './report';
import { conclude, withStack } from './stack';
import { startSmtpServer, type TestSmtpServer } from '../support/mail';

const APPEALS = 30;
const FAIL_AFTER_COMMIT = 0.3;
const ACTIVITIES = ['openAppeal', 'recordStep', 'deliverNotice'] as const;

describe('5. ambiguous commits', function () {
  this.timeout(600_000);
  let smtp: TestSmtpServer | undefined;
  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp?.stop();
  });
  const stack = withStack('ambiguous-commits', () => ({
    workerEnv: { FAULTS_FAIL_AFTER_COMMIT: String(FAIL_AFTER_COMMIT), SMTP_URL: (smtp as TestSmtpServer).url },
  }));

  it(`writes nothing twice when ${FAIL_AFTER_COMMIT * 100}% of first attempts fail after committing`, async () => {
    const elapsed = stopwatch();
    const { client: api } = stack();
    const cast = await castFor(api, 'ambiguous-commits');
    const expected = await driveAllPaths(api, cast, APPEALS);
    const check = await checkInvariants(expected, Object.values(cast.departments));

    const log = stack().worker.log();
    const injected = Object.fromEntries(ACTIVITIES.map((name) => [name, log.split(`FAULTS_FAIL_AFTER_COMMIT: ${name} committed`).length - 1]));
    const mails = (smtp as TestSmtpServer).received;
    const copies = new Map<string, number>();
    for (const mail of mails) copies.set(mail.messageId, (copies.get(mail.messageId) ?? 0) + 1);
    const mailedTwice = [...copies.values()].filter((n) => n > 1).length;

    conclude('5 ambiguous commits', stack(), check, {
      'appeals driven': APPEALS,
      paths: PATH_NAMES.length,
      'failed after commit': FAIL_AFTER_COMMIT,
      ...Object.fromEntries(ACTIVITIES.map((name) => [`${name} failures injected`, injected[name]])),
      'mails received': mails.length,
      'mailed twice': mailedTwice,
      ...elapsed(),
    });
    for (const name of ACTIVITIES) expect(injected[name], `${name} failed after committing at least once`).to.be.greaterThan(0);
    expect(mailedTwice, 'notices mailed twice').to.equal(0);
    expect(mails.length, 'one mail per notice row').to.equal(check.numbers['notice rows']);
  });
});
