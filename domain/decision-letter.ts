/**
 * The decision letter the parties receive: its words, section by section, from the decision as
 * recorded, the appeal and the thresholds of the policy it was opened under. Pure: the same
 * facts always make the same letter, which activities/decision-letter.ts lays out as a PDF and as
 * HTML. It names the appellant and the manager, so it goes only to the parties and the people on
 * the case, never to a public page.
 */
import { DateTime } from 'luxon';
import type { AppealView, Decision } from './appeal';
import { CRITERIA, MAX_SCORE, overruleTest } from './decision';
import type { Policy } from './policy';
import { CRITERION_NAMES, GROUNDS_NAMES } from '../web/labels';

export interface DecisionLetterFacts {
  appeal: Pick<AppealView, 'reference' | 'department' | 'policyVersion' | 'parentBody' | 'appellant' | 'proposedMutual' | 'groundsOfAppeal' | 'requestSubmittedOn'>;
  policy: Pick<Policy, 'overruleMinimumEach' | 'overruleMinimumTotal'>;
  decision: Decision;
  /** The compliance deadline the overrule started, as the decision's timeline event recorded it; null for a dismissal. */
  complianceDueAt: string | null;
}

export interface LetterSection {
  heading: string;
  paragraphs: string[];
  /** A list after the paragraphs, one line an item. */
  items?: string[];
}

export interface DecisionLetter {
  title: string;
  /** For the PDF's metadata. */
  subject: string;
  /** The file name it is stored and sent under. */
  fileName: string;
  /** The decision's recorded time: the letter's date, and its PDF's creation date. */
  date: Date;
  /** Lines above the first section: reference, date, department. */
  preamble: string[];
  sections: LetterSection[];
}

export const DECISION_LETTER_TITLE = 'Decision letter';

/** "23:59 on Tuesday 30 June 2026 (UK time)": a time as a clock in the UK shows it. */
export function ukTimeOn(instant: string | Date): string {
  const london = DateTime.fromJSDate(new Date(instant), { zone: 'Europe/London' }).setLocale('en-GB');
  return `${london.toFormat('HH:mm')} on ${london.toFormat('cccc d MMMM yyyy')} (UK time)`;
}

/** "30 June 2026": a calendar date (YYYY-MM-DD) or an instant's day in the UK. */
function ukDay(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: 'Europe/London' }) : DateTime.fromISO(value).setZone('Europe/London');
  return day.setLocale('en-GB').toFormat('d MMMM yyyy');
}

export function decisionLetter(facts: DecisionLetterFacts): DecisionLetter {
  const { appeal, decision } = facts;
  return {
    title: `Decision on appeal ${appeal.reference}`,
    subject: `The arbiter's decision on the appeal of ${appeal.proposedMutual.name} against ${appeal.parentBody.name}`,
    fileName: `${appeal.reference}-decision-letter.pdf`,
    date: new Date(decision.decidedAt),
    preamble: [`Reference: ${appeal.reference}`, `Date of decision: ${ukDay(decision.decidedAt)}`, `Department: ${appeal.department}`],
    sections: [parties(facts), theAppeal(facts), scores(facts), outcome(facts), reasons(facts), ...compliance(facts), thisDecision(facts)],
  };
}

function parties({ appeal }: DecisionLetterFacts): LetterSection {
  const mutual = appeal.proposedMutual;
  return {
    heading: 'The parties',
    paragraphs: [],
    items: [
      `The appellant: ${appeal.appellant.name}, for the proposed mutual ${mutual.name} (${mutual.service})`,
      `The parent body: ${appeal.parentBody.name}, its manager ${appeal.parentBody.managerName}`,
    ],
  };
}

function theAppeal({ appeal }: DecisionLetterFacts): LetterSection {
  return {
    heading: 'The appeal',
    paragraphs: [
      `The proposed mutual asked the parent body on ${ukDay(appeal.requestSubmittedOn)} to support its spin-out, and appealed against the answer.`,
      `Grounds of appeal: ${GROUNDS_NAMES[appeal.groundsOfAppeal]}.`,
    ],
  };
}

function scores({ appeal, policy, decision }: DecisionLetterFacts): LetterSection {
  const { assessment } = decision;
  const test = overruleTest(assessment, policy);
  const met = (yes: boolean) => (yes ? 'threshold met' : 'threshold not met');
  const maxTotal = CRITERIA.length * MAX_SCORE;
  return {
    heading: 'The business case against the policy thresholds',
    paragraphs: [
      `The arbiter scored the business case on five criteria, each from 0 to ${MAX_SCORE}. Under version ${appeal.policyVersion} of the ${appeal.department} policy, the managers can be overruled only if every criterion scores at least ${policy.overruleMinimumEach} and the total is at least ${policy.overruleMinimumTotal}.`,
    ],
    items: [
      ...CRITERIA.map(
        (criterion) =>
          `${CRITERION_NAMES[criterion]}: ${assessment[criterion]} out of ${MAX_SCORE} (at least ${policy.overruleMinimumEach} needed: ${met(!test.failingCriteria.includes(criterion))})`,
      ),
      `Total: ${test.total} out of ${maxTotal} (at least ${policy.overruleMinimumTotal} needed: ${met(!test.totalBelowMinimum)})`,
    ],
  };
}

function outcome({ appeal, decision }: DecisionLetterFacts): LetterSection {
  const words =
    decision.outcome === 'overrule'
      ? `The appeal is allowed: the arbiter overrules the managers of ${appeal.parentBody.name}, who must support the spin-out of ${appeal.proposedMutual.name}.`
      : `The appeal is dismissed: the refusal by the managers of ${appeal.parentBody.name} stands.`;
  return { heading: 'The decision', paragraphs: [words, `Decided at ${ukTimeOn(decision.decidedAt)} by the arbiter ${decision.arbiterId}.`] };
}

function reasons({ decision }: DecisionLetterFacts): LetterSection {
  const paragraphs = decision.reasons
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '');
  return { heading: 'Reasons', paragraphs };
}

function compliance({ appeal, decision, complianceDueAt }: DecisionLetterFacts): LetterSection[] {
  if (decision.outcome !== 'overrule') return [];
  const by = complianceDueAt ? ukTimeOn(complianceDueAt) : 'the compliance deadline on the appeal';
  return [
    {
      heading: 'What the parent body must do',
      paragraphs: [
        `${appeal.parentBody.name} must carry out this decision, supporting the spin-out of ${appeal.proposedMutual.name}, and confirm that it has done so by ${by}.`,
        'If it does not confirm in time, the appeal is marked overdue and escalated to the caseworker team; the decision stays binding.',
      ],
    },
  ];
}

function thisDecision({ appeal }: DecisionLetterFacts): LetterSection {
  return {
    heading: 'About this decision',
    paragraphs: [
      'This decision is binding and final.',
      `It was made under version ${appeal.policyVersion} of the ${appeal.department} policy, the version in force when the appeal was opened.`,
    ],
  };
}
