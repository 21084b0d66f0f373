/**
 * The public view model: the one place that decides what of a department, a policy or an appeal
 * the register publishes. Every public answer and page is built from these shapes, which copy
 * named fields only: no names or email addresses of appellants, managers or arbiters, no token
 * subjects (who changed a policy, who decided), nothing of the case record that is not listed here.
 */
import MarkdownIt from 'markdown-it';
import type { Assessment, DecisionOutcome } from '../../domain/decision';
import { CRITERIA, MAX_SCORE } from '../../domain/decision';
import type { GroundsOfAppeal } from '../../domain/appeal';
import type { AppealStatus } from '../../domain/lifecycle';
import type { Period, Policy } from '../../domain/policy';
import type { PolicyVersionRow, DecisionRow } from '../../db/register';
import { CALENDAR_NAMES, CRITERION_NAMES, periodInCalendar, periodText, POLICY_PERIODS } from '../../web/labels';

export interface PublicPolicyVersion {
  version: number;
  inForceFrom: string;
  /** When the next version replaced it; null for the version in force. */
  inForceUntil: string | null;
  policy: Policy;
  inPlainEnglish: string[];
  /** What changed from the version before, in words; empty for version 1. */
  changes: string[];
  guidance: { markdown: string; html: string };
}

export interface PublicDepartment {
  code: string;
  name: string;
  policyInForce: PublicPolicyVersion;
  /** Every version, newest first. */
  versions: PublicPolicyVersion[];
}

export type ComplianceOutcome = 'complied' | 'awaiting_compliance' | 'overdue';

export interface PublicDecision {
  reference: string;
  department: { code: string; name: string };
  parentBody: string;
  proposedMutual: { name: string; service: string };
  groundsOfAppeal: GroundsOfAppeal;
  outcome: DecisionOutcome;
  assessment: Assessment & { total: number };
  /** The thresholds of the policy the appeal was decided under. */
  thresholds: { minimumEach: number; minimumTotal: number; maximumEach: number };
  reasons: string;
  /** The arbiter's register name, only if the administrator published it; else null ("an independent arbiter"). */
  arbiter: string | null;
  decidedAt: string;
  policyVersion: number;
  /** For an overrule, whether the parent body has carried it out; null for a dismissal. */
  compliance: ComplianceOutcome | null;
}

// ---- departments and policies -------------------------------------------------------------------

/** A department's policy versions (oldest first in `rows`) as the register shows them. */
export function publicDepartment(department: { code: string; name: string }, rows: PolicyVersionRow[]): PublicDepartment {
  const versions = rows.map((row, i) => publicPolicyVersion(row, rows[i + 1], rows[i - 1])).reverse();
  return { code: department.code, name: department.name, policyInForce: versions[0], versions };
}

function publicPolicyVersion(row: PolicyVersionRow, next: PolicyVersionRow | undefined, previous: PolicyVersionRow | undefined): PublicPolicyVersion {
  return {
    version: row.version,
    inForceFrom: row.createdAt.toISOString(),
    inForceUntil: next ? next.createdAt.toISOString() : null,
    policy: row.policy,
    inPlainEnglish: policyInPlainEnglish(row.policy),
    changes: previous ? policyChanges(previous, row) : [],
    guidance: { markdown: row.guidance, html: renderGuidance(row.guidance) },
  };
}

const criteriaList = (): string =>
  CRITERIA.map((criterion) => CRITERION_NAMES[criterion].toLowerCase()).join(', ').replace(/, ([^,]*)$/, ' and $1');

/** A policy as anyone can follow it: the timetable, the reminders and the test for an overrule. */
export function policyInPlainEnglish(policy: Policy): string[] {
  const within = (period: Period) => periodInCalendar(period, policy.calendar);
  const lines = [
    `The parent body must answer an appeal within ${within(policy.managerResponse)} of it being opened: it concedes the appeal, or contests it with a statement. If it does not answer in time, the appeal goes to a hearing without its response.`,
    `An independent arbiter must hold the hearing within ${within(policy.hearingWithin)} of the parent body contesting the appeal or not answering in time.`,
    `The arbiter must decide within ${within(policy.decisionWithin)} of the hearing being held.`,
    `If the arbiter overrules the managers, the parent body must carry out the decision and confirm it within ${within(policy.complianceWithin)}.`,
    `The arbiter scores the business case from 0 to ${MAX_SCORE} on each of ${CRITERIA.length} criteria (${criteriaList()}), and may overrule the managers only if every score is at least ${policy.overruleMinimumEach} and the total is at least ${policy.overruleMinimumTotal} out of ${MAX_SCORE * CRITERIA.length}.`,
  ];
  if (policy.reminders.length > 0) lines.push(`Reminders go out ${policy.reminders.map(periodText).join(' and ')} before each deadline.`);
  return lines;
}

/** What changed from one policy version to the next, in words. */
export function policyChanges(before: { policy: Policy; guidance: string }, after: { policy: Policy; guidance: string }): string[] {
  const changes: string[] = [];
  for (const { key, name } of POLICY_PERIODS) {
    const [was, is] = [before.policy[key], after.policy[key]];
    if (was.amount !== is.amount || was.unit !== is.unit) changes.push(`${name}: ${periodText(was)}, now ${periodText(is)}`);
  }
  if (before.policy.calendar !== after.policy.calendar) {
    changes.push(`Bank holidays: ${CALENDAR_NAMES[before.policy.calendar]}, now ${CALENDAR_NAMES[after.policy.calendar]}`);
  }
  if (before.policy.overruleMinimumEach !== after.policy.overruleMinimumEach) {
    changes.push(`Lowest score allowed on each criterion for an overrule: ${before.policy.overruleMinimumEach}, now ${after.policy.overruleMinimumEach}`);
  }
  if (before.policy.overruleMinimumTotal !== after.policy.overruleMinimumTotal) {
    changes.push(`Lowest total score for an overrule: ${before.policy.overruleMinimumTotal}, now ${after.policy.overruleMinimumTotal}`);
  }
  const reminders = (policy: Policy) => policy.reminders.map(periodText).join(' and ') || 'none';
  if (reminders(before.policy) !== reminders(after.policy)) changes.push(`Reminders: ${reminders(before.policy)}, now ${reminders(after.policy)}`);
  if (before.guidance !== after.guidance) changes.push('Guidance for parent bodies rewritten');
  return changes;
}

/** Markdown with HTML switched off: whatever HTML an administrator types is shown as text, never run. */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** GOV.UK Frontend's typography for what Markdown makes. */
const GOVUK_CLASSES: Record<string, string> = {
  paragraph_open: 'govuk-body',
  bullet_list_open: 'govuk-list govuk-list--bullet',
  ordered_list_open: 'govuk-list govuk-list--number',
  link_open: 'govuk-link',
  blockquote_open: 'govuk-inset-text',
  table_open: 'govuk-table',
};
const HEADING_CLASSES: Record<string, string> = { h1: 'govuk-heading-l', h2: 'govuk-heading-m', h3: 'govuk-heading-s' };
markdown.core.ruler.push('govuk_classes', (state) => {
  const tokens = state.tokens.flatMap((token) => [token, ...(token.children ?? [])]);
  for (const token of tokens) {
    const classes = token.type === 'heading_open' ? (HEADING_CLASSES[token.tag] ?? 'govuk-heading-s') : GOVUK_CLASSES[token.type];
    if (classes) token.attrJoin('class', classes);
  }
});

export function renderGuidance(text: string): string {
  return markdown.render(text);
}

// ---- decisions ----------------------------------------------------------------------------------

/** A decided appeal as the register publishes it. */
export function publicDecision(row: DecisionRow): PublicDecision {
  const total = CRITERIA.reduce((sum, criterion) => sum + row.assessment[criterion], 0);
  return {
    reference: row.reference,
    department: { code: row.departmentCode, name: row.departmentName },
    parentBody: row.parentBody.name,
    proposedMutual: { name: row.proposedMutual.name, service: row.proposedMutual.service },
    groundsOfAppeal: row.groundsOfAppeal,
    outcome: row.outcome,
    assessment: { ...pick(row.assessment), total },
    thresholds: { minimumEach: row.policy.overruleMinimumEach, minimumTotal: row.policy.overruleMinimumTotal, maximumEach: MAX_SCORE },
    reasons: row.reasons,
    arbiter: row.arbiterPublicName,
    decidedAt: row.decidedAt.toISOString(),
    policyVersion: row.policyVersion,
    compliance: complianceOf(row),
  };
}

/** Only the five scores, whatever else the stored assessment holds. */
function pick(assessment: Assessment): Assessment {
  return Object.fromEntries(CRITERIA.map((criterion) => [criterion, assessment[criterion]])) as Assessment;
}

function complianceOf({ outcome, status, overdue }: { outcome: DecisionOutcome; status: AppealStatus; overdue: boolean }): ComplianceOutcome | null {
  if (outcome !== 'overrule') return null;
  if (status === 'complied') return 'complied';
  return overdue ? 'overdue' : 'awaiting_compliance';
}
