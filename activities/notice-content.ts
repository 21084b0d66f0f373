/**
 * The words of a notice: who it is for, what is due and by when (in UK local time), and what
 * happens if the deadline is missed. Rendered as a subject, a plain-text body and an HTML body.
 */
import type { DecisionOutcome } from '../domain/decision';
import type { NoticeKind, RecipientRole } from '../domain/notices';
import type { DeadlineKind } from '../domain/policy';

export interface NoticeFacts {
  kind: NoticeKind;
  deadline: DeadlineKind | null;
  dueAt: Date | null;
  recipientRole: RecipientRole;
  /** The person's name when the case record has it (managers, appellants, arbiters). */
  recipientName: string | null;
  appeal: { reference: string; proposedMutual: string; parentBody: string; department: string };
  decision: DecisionOutcome | null;
  /** The register's page of the guidance for parent bodies in the appeal's policy version: a manager's notices link to it. */
  guidanceUrl?: string | null;
  /** A decision notice carries the decision letter. */
  letterAttached?: boolean;
}

export interface NoticeContent {
  subject: string;
  text: string;
  html: string;
}

const ROLE_NAMES: Record<RecipientRole, string> = {
  manager: "the parent body's manager",
  arbiter: 'the arbiter assigned to the appeal',
  caseworkers: 'the caseworker team',
  appellant: 'the appellant',
};

/** For each deadline: what is due, what happens if it is missed, and what happens once it was. */
const DEADLINES: Record<DeadlineKind, { due: string; ifMissed: string; nowMissed: string }> = {
  managerResponse: {
    due: "the parent body's response to the appeal: concede it, or contest it with a statement",
    ifMissed:
      "the appeal goes to a hearing before an independent arbiter without the parent body's response, and the managers are recorded as having defaulted",
    nowMissed:
      "the appeal has gone to a hearing before an independent arbiter without the parent body's response, and the managers are recorded as having defaulted. A caseworker will assign an arbiter",
  },
  hearing: {
    due: 'the hearing of the appeal, scheduled and held by the assigned arbiter',
    ifMissed: 'the missed deadline is recorded on the appeal and escalated to the caseworker team; the appeal stays open until the hearing is held',
    nowMissed: 'the missed deadline is recorded on the appeal and the caseworker team will follow it up; the appeal stays open until the hearing is held',
  },
  decision: {
    due: "the arbiter's decision on the appeal",
    ifMissed: 'the missed deadline is recorded on the appeal and escalated to the caseworker team; the appeal stays open until the decision is made',
    nowMissed: 'the missed deadline is recorded on the appeal and the caseworker team will follow it up; the appeal stays open until the decision is made',
  },
  compliance: {
    due: "the parent body's confirmation that it has carried out the arbiter's decision",
    ifMissed: 'the appeal is marked overdue and escalated to the caseworker team; the decision stays binding',
    nowMissed: 'the appeal is marked overdue and the caseworker team will follow it up; the decision stays binding',
  },
};

const DEADLINE_TITLES: Record<DeadlineKind, string> = {
  managerResponse: "parent body's response",
  hearing: 'hearing',
  decision: "arbiter's decision",
  compliance: 'confirmation of compliance',
};

/** Made once: a formatter costs far more to build than to use. */
const UK_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** A deadline as people in the UK read it: "Friday 27 November 2026, 23:59:59 GMT". */
export function ukLocalTime(instant: Date): string {
  const part = Object.fromEntries(UK_TIME.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}:${part.second} ${part.timeZoneName}`;
}

/** The lines of a notice, in reading order: what happened, then what is due and the consequence. */
interface Message {
  headline: string;
  lines: [label: string, text: string][];
}

function messageOf(facts: NoticeFacts): Message {
  const deadline = facts.deadline ? DEADLINES[facts.deadline] : null;
  const due = facts.dueAt ? `${ukLocalTime(facts.dueAt)} (UK time)` : null;
  const title = facts.deadline ? DEADLINE_TITLES[facts.deadline] : '';
  switch (facts.kind) {
    case 'appeal_opened':
      return { headline: 'A new appeal has been opened', lines: dueLines(deadline, due) };
    case 'reminder':
      return { headline: `Reminder: the ${title} is due by ${due ?? 'its deadline'}`, lines: dueLines(deadline, due) };
    case 'escalation':
      return {
        headline: `Escalation: the deadline for the ${title} was missed`,
        lines: [
          ['What was due', deadline?.due ?? 'an action on the appeal'],
          ['Deadline (passed)', due ?? 'not recorded'],
          ['What happens now', deadline?.nowMissed ?? 'the caseworker team will follow it up'],
        ],
      };
    case 'deadline_moved':
      return {
        headline: `The deadline for the ${title} has moved to ${due ?? 'a new date'}`,
        lines: [
          ['Why', 'the bank holidays the deadline is counted on have changed (a bank holiday was proclaimed or cancelled), so its working days were counted again'],
          ...dueLines(deadline, due),
        ],
      };
    case 'decision':
      return facts.decision === 'dismiss'
        ? { headline: 'The arbiter has dismissed the appeal', lines: [['What is due', 'nothing further: the decision is binding and final']] }
        : { headline: "The arbiter has overruled the parent body's managers", lines: dueLines(deadline, due) };
  }
}

function dueLines(deadline: (typeof DEADLINES)[DeadlineKind] | null, due: string | null): Message['lines'] {
  if (!deadline) return [];
  return [
    ['What is due', deadline.due],
    ['Deadline', due ?? 'not yet set'],
    ['If it is missed', deadline.ifMissed],
  ];
}

export function renderNotice(facts: NoticeFacts): NoticeContent {
  const message = messageOf(facts);
  if (facts.letterAttached) message.lines.push(['Decision letter', 'attached as a PDF: the scores against the policy thresholds, the reasons, and what follows from the decision']);
  if (facts.recipientRole === 'manager' && facts.guidanceUrl) {
    message.lines.push(['Guidance for parent bodies', `your department's guidance on supporting a request to spin out, as it applies to this appeal: ${facts.guidanceUrl}`]);
  }
  const { reference, proposedMutual, parentBody, department } = facts.appeal;
  const greeting = `Dear ${facts.recipientName ?? ROLE_NAMES[facts.recipientRole].replace(/^the /, '')},`;
  const about = `Appeal ${reference}: ${proposedMutual} (parent body ${parentBody}, department ${department}).`;
  const role = `You are receiving this as ${ROLE_NAMES[facts.recipientRole]}.`;
  const text = [
    greeting,
    '',
    `${message.headline}.`,
    about,
    role,
    '',
    ...message.lines.map(([label, line]) => `${label}: ${line}`),
    '',
    'Mutuals appeals',
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    `<h1>${escapeHtml(message.headline)}</h1>`,
    `<p>${escapeHtml(about)}<br>${escapeHtml(role)}</p>`,
    '<dl>',
    ...message.lines.map(([label, line]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(line)}</dd>`),
    '</dl>',
    '<p>Mutuals appeals</p>',
    '</body></html>',
  ].join('\n');
  return { subject: `[${reference}] ${message.headline}`, text, html };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
