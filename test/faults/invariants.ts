/**
 * The promises every fault scenario checks, written once: no appeal lost, none extra, each in its
 * expected status, every timeline step written exactly once with no gap in `seq` and a verified
 * hash chain, every notice row written once (and sent, once the appeal is finished), decisions
 * as the arbiter gave them, and every workflow that should finish finished with that status.
 */
import { In } from 'typeorm';
import { TimelineEventEntity } from '../../db/entities';
import { canonicalJson, toTimelineEvent, verifyTimeline, type TimelineEvent } from '../../db/timeline';
import { recipientsOf, type NoticeKind } from '../../domain/notices';
import type { DeadlineKind } from '../../domain/policy';
import { appealWorkflowId } from '../../workflows/shared';
import type { Expectation } from './appeals';
import { faultSystem } from './system';

const FINISH_TIMEOUT_MS = 180_000;

/** Which notice each kind of timeline event writes (workflows/appeal.ts); other events write none. */
const NOTICE_OF_EVENT: Record<string, NoticeKind> = {
  submitted: 'appeal_opened',
  reminder_sent: 'reminder',
  manager_defaulted: 'escalation',
  deadline_missed: 'escalation',
  decision_made: 'decision',
  deadline_recalculated: 'deadline_moved',
};

export interface InvariantNumbers {
  appeals: number;
  'timeline rows': number;
  'notice rows': number;
  'decision rows': number;
  'workflows finished': number;
  lost: number;
  extra: number;
  'wrong status': number;
  'duplicate or missing steps': number;
  'seq gaps': number;
  'unverified timelines': number;
  'duplicate or missing notices': number;
  'unsent notices': number;
  'changed decisions': number;
}

interface AppealRow {
  id: string;
  status: string;
  manager_defaulted: boolean;
  last_seq: number;
  last_hash: string | null;
}
interface NoticeRow {
  appeal_id: string;
  kind: string;
  recipient_role: string;
  status: string;
}
interface DecisionRow {
  appeal_id: string;
  outcome: string;
  assessment: unknown;
  reasons: string;
  arbiter_id: string;
}

export interface InvariantCheck {
  numbers: InvariantNumbers;
  /** Every broken invariant (the first 25), empty when all hold. */
  problems: string[];
}

/**
 * Check every invariant for the appeals of `departments`, which must be exactly `expected`.
 * Waits first for the workflows that must finish. Answers the numbers it checked and the
 * problems it found, so a scenario can print its numbers before it asserts.
 */
export async function checkInvariants(expected: Expectation[], departments: string[]): Promise<InvariantCheck> {
  const finished = await awaitWorkflows(expected.filter((e) => e.finishes));
  const { db } = faultSystem();
  const ids = expected.map((e) => e.id);
  const [appeals, timelines, notices, decisions] = await Promise.all([
    db.query<AppealRow[]>(`SELECT id, status, manager_defaulted, last_seq, last_hash FROM appeals WHERE department_code = ANY($1)`, [departments]),
    readTimelines(ids),
    db.query<NoticeRow[]>(`SELECT appeal_id, kind, recipient_role, status FROM notifications WHERE appeal_id = ANY($1)`, [ids]),
    db.query<DecisionRow[]>(`SELECT appeal_id, outcome, assessment, reasons, arbiter_id FROM decisions WHERE appeal_id = ANY($1)`, [ids]),
  ]);

  const problems = new Problems();
  const appealById = new Map(appeals.map((row) => [row.id, row]));
  const expectedIds = new Set(ids);
  for (const row of appeals) if (!expectedIds.has(row.id)) problems.add('extra', `appeal ${row.id} (${row.status}) was not opened by the scenario`);
  for (const want of expected) {
    const row = appealById.get(want.id);
    if (!row) {
      problems.add('lost', `appeal ${want.label} ${want.id} is not in the database`);
      continue;
    }
    if (row.status !== want.status || row.manager_defaulted !== want.managerDefaulted) {
      problems.add('wrong status', `${want.label}: ${row.status}${row.manager_defaulted ? ' (defaulted)' : ''}, expected ${want.status}${want.managerDefaulted ? ' (defaulted)' : ''}`);
    }
    const events = timelines.get(want.id) ?? [];
    checkTimeline(problems, want, row, events);
    checkNotices(problems, want, events, notices.filter((n) => n.appeal_id === want.id));
    checkDecision(problems, want, decisions.filter((d) => d.appeal_id === want.id));
  }
  for (const failure of finished.failures) problems.add('wrong status', failure);

  return {
    problems: problems.list(),
    numbers: {
      appeals: appeals.length,
    'timeline rows': [...timelines.values()].reduce((sum, events) => sum + events.length, 0),
    'notice rows': notices.length,
    'decision rows': decisions.length,
      'workflows finished': finished.count,
      ...problems.counts(),
    },
  };
}

function checkTimeline(problems: Problems, want: Expectation, row: AppealRow, events: TimelineEvent[]): void {
  const types = events.map((e) => e.type);
  if (types.join() !== want.events.join()) problems.add('duplicate or missing steps', `${want.label}: timeline ${types.join(', ')}; expected ${want.events.join(', ')}`);
  const gap = events.findIndex((event, index) => event.seq !== index + 1);
  if (gap >= 0 || row.last_seq !== events.length || (events.length > 0 && row.last_hash?.trim() !== events[events.length - 1].hash)) {
    problems.add('seq gaps', `${want.label}: seq ${events.map((e) => e.seq).join(',')}, head ${row.last_seq}`);
  }
  const verification = verifyTimeline(want.id, events);
  if (!verification.verified) problems.add('unverified timelines', `${want.label}: the hash chain breaks at seq ${verification.brokenAtSeq}`);
}

/** The notices the timeline calls for, one per recipient, each written once; sent once the appeal is finished. */
function checkNotices(problems: Problems, want: Expectation, events: TimelineEvent[], rows: NoticeRow[]): void {
  let arbiterAssigned = false;
  const wanted = events.flatMap((event) => {
    arbiterAssigned ||= event.type === 'arbiter_assigned';
    const kind = NOTICE_OF_EVENT[event.type];
    const roles = kind ? recipientsOf(kind, event.data.deadline as DeadlineKind | undefined) : [];
    // A notice for an arbiter not yet assigned goes to the caseworkers (db/appeals.ts).
    return roles.map((role) => `${kind}:${role === 'arbiter' && !arbiterAssigned ? 'caseworkers' : role}`);
  });
  const written = rows.map((row) => `${row.kind}:${row.recipient_role}`);
  if ([...wanted].sort().join() !== [...written].sort().join()) {
    problems.add('duplicate or missing notices', `${want.label}: notices ${written.sort().join(', ')}; expected ${wanted.sort().join(', ')}`);
  }
  const unsent = rows.filter((row) => row.status !== 'sent');
  if (want.finishes && unsent.length > 0) problems.add('unsent notices', `${want.label}: ${unsent.length} notice(s) not sent: ${unsent.map((n) => `${n.kind}:${n.status}`).join(', ')}`);
}

function checkDecision(problems: Problems, want: Expectation, rows: DecisionRow[]): void {
  const recorded = rows.map((row) => ({ outcome: row.outcome, assessment: row.assessment, reasons: row.reasons, arbiterId: row.arbiter_id }));
  const wanted = want.decision ? [want.decision] : [];
  if (canonicalJson(recorded) !== canonicalJson(wanted)) {
    problems.add('changed decisions', `${want.label}: decisions ${JSON.stringify(recorded)}; expected ${JSON.stringify(wanted)}`);
  }
}

async function readTimelines(ids: string[]): Promise<Map<string, TimelineEvent[]>> {
  const rows = await faultSystem().db.manager.find(TimelineEventEntity, { where: { appealId: In(ids) }, order: { appealId: 'ASC', seq: 'ASC' } });
  const byAppeal = new Map<string, TimelineEvent[]>();
  for (const row of rows) byAppeal.set(row.appealId, [...(byAppeal.get(row.appealId) ?? []), toTimelineEvent(row)]);
  return byAppeal;
}

/** Wait for each workflow's result; a different status, a failure or no result in time is a problem. */
async function awaitWorkflows(expected: Expectation[]): Promise<{ count: number; failures: string[] }> {
  const { temporal } = faultSystem();
  const failures: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), FINISH_TIMEOUT_MS);
  });
  try {
    await Promise.all(
      expected.map(async (want) => {
        const finished = temporal((client) => client.workflow.getHandle(appealWorkflowId(want.id)).result()).catch((error: Error) => `failed: ${error.message}`);
        const result = await Promise.race([finished, timedOut]);
        if (result !== want.status) failures.push(`${want.label}: the workflow ${result === 'timeout' ? `had not finished after ${FINISH_TIMEOUT_MS} ms` : `ended ${String(result)}`}, expected ${want.status}`);
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  return { count: expected.length - failures.length, failures };
}

type ProblemKind = Exclude<keyof InvariantNumbers, 'appeals' | 'timeline rows' | 'notice rows' | 'decision rows' | 'workflows finished'>;
const PROBLEM_KINDS: ProblemKind[] = [
  'lost',
  'extra',
  'wrong status',
  'duplicate or missing steps',
  'seq gaps',
  'unverified timelines',
  'duplicate or missing notices',
  'unsent notices',
  'changed decisions',
];

class Problems {
  private readonly found: { kind: ProblemKind; detail: string }[] = [];

  add(kind: ProblemKind, detail: string): void {
    this.found.push({ kind, detail });
  }

  counts(): Record<ProblemKind, number> {
    return Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, this.found.filter((p) => p.kind === kind).length])) as Record<ProblemKind, number>;
  }

  list(): string[] {
    return this.found.slice(0, 25).map((p) => `${p.kind}: ${p.detail}`);
  }
}
