import type { TimelineEvent } from '../../db/timeline';
import type { DeadlineKind } from '../../domain/policy';
import type { DocumentCategory } from '../../domain/documents';
import { DEADLINE_NAMES, DOCUMENT_CATEGORY_NAMES, ROLE_NAMES } from '../labels';
import { ukDateTime } from '../dates';

const OUTCOMES: Record<string, string> = { overrule: 'The managers are overruled', dismiss: 'The appeal is dismissed' };

/** What an event's data says, line by line, in words (its title comes from `eventTitle`). */
export function eventLines(event: TimelineEvent): string[] {
  const data = event.data;
  const text = (key: string): string | undefined => (typeof data[key] === 'string' && data[key] !== '' ? data[key] : undefined);
  const lines: string[] = [];
  const [name, scheduledFor, location, rescheduledFor, outcome] = ['name', 'scheduledFor', 'location', 'rescheduledFor', 'outcome'].map(text);
  if (event.type === 'submitted' && typeof data.policyVersion === 'number') lines.push(`Opened under policy version ${data.policyVersion}`);
  if (event.type === 'document_added') lines.push(...documentLines(data));
  if (name) lines.push(`Arbiter: ${name}`);
  if (scheduledFor) lines.push(`Hearing on ${ukDateTime(scheduledFor)}${location ? ` at ${location}` : ''}`);
  if (rescheduledFor) lines.push(`Rescheduled for ${ukDateTime(rescheduledFor)}`);
  if (outcome && OUTCOMES[outcome]) lines.push(OUTCOMES[outcome]);
  for (const [key, label] of [['statement', 'Statement'], ['reasons', 'Reasons'], ['reason', 'Reason'], ['notes', 'Notes']] as const) {
    const value = text(key);
    if (value) lines.push(`${label}: ${value}`);
  }
  const deadline = deadlineLine(data);
  if (deadline) lines.push(deadline);
  return lines;
}

function documentLines(data: Record<string, unknown>): string[] {
  const category = DOCUMENT_CATEGORY_NAMES[data.category as DocumentCategory] ?? String(data.category);
  return [`${String(data.title)} (${category}): ${String(data.fileName)}, ${String(data.size)} bytes`, `SHA-256: ${String(data.sha256)}`];
}

/** Events carry their deadline as a kind beside `dueAt`, or as `{kind, dueAt, previousDueAt?}`. */
function deadlineLine(data: Record<string, unknown>): string | undefined {
  const about = (typeof data.deadline === 'object' && data.deadline !== null ? data.deadline : { kind: data.deadline, dueAt: data.dueAt }) as {
    kind?: unknown;
    dueAt?: unknown;
    previousDueAt?: unknown;
  };
  if (typeof about.kind !== 'string' || !(about.kind in DEADLINE_NAMES) || typeof about.dueAt !== 'string') return undefined;
  const name = DEADLINE_NAMES[about.kind as DeadlineKind];
  if (typeof about.previousDueAt === 'string') return `${name} deadline moved from ${ukDateTime(about.previousDueAt)} to ${ukDateTime(about.dueAt)}`;
  return `${name} deadline: ${ukDateTime(about.dueAt)}`;
}

/** Who took the step: a person's id and role, or the engine itself. */
export function eventByline(event: TimelineEvent): string {
  return event.actor.role === 'system' ? ROLE_NAMES.system.toLowerCase() : `${event.actor.sub} (${ROLE_NAMES[event.actor.role].toLowerCase()})`;
}
