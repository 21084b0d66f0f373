/**
 * `npm run bench`: how fast the parts that run on every appeal are, measured rather than asserted.
 *   - deadline arithmetic (working days over bank holidays), per deadline;
 *   - timeline verification, per event;
 *   - recording an appeal and a step in PostgreSQL, per transaction;
 *   - a page of `GET /v1/appeals` at 100,000 appeals, per filter, first page and next.
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder; either way a
 * throwaway schema that is dropped at the end. BENCH_APPEALS changes the 100,000.
 *
 * `npm run bench -- --e2e [--quick]` runs the end-to-end benchmark instead (scripts/bench-e2e.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { LIST_FILTERS, seedManyAppeals } from '../db/bulk-seed';
import { listAppeals } from '../db/appeal-queries';
import { createDataSource, migrate } from '../db/data-source';
import { eventHash, verifyTimeline, type TimelineEvent } from '../db/timeline';
import { computeDeadline } from '../domain/calendar';
import { BankHolidayCalendar } from '../domain/bank-holidays';
import { readSnapshot } from '../db/calendars';
import { createRecordingActivities } from '../activities/recording';
import { DEFAULT_POLICY } from '../domain/policy';
import { findFreePort } from './lib/ports';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './lib/embedded-postgres';
import { runEndToEnd } from './bench-e2e';

interface Timing {
  median: number;
  p95: number;
}

async function measure(runs: number, work: (run: number) => unknown): Promise<Timing> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work(run);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)], p95: samples[Math.min(runs - 1, Math.floor(runs * 0.95))] };
}

const ms = (t: Timing, unit = 'ms', scale = 1) => `median ${(t.median * scale).toFixed(3)} ${unit}, p95 ${(t.p95 * scale).toFixed(3)} ${unit}`;

async function benchDeadlines(): Promise<void> {
  const start = new Date('2026-12-10T12:00:00Z');
  const holidays = new BankHolidayCalendar(1, readSnapshot());
  computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'hearing', start, holidays });
  const batch = 1_000;
  const timing = await measure(20, (run) => {
    for (let i = 0; i < batch; i++) {
      computeDeadline({ policy: DEFAULT_POLICY, policyVersion: 1, kind: 'hearing', start: new Date(start.getTime() + (run * batch + i) * 3_600_000), holidays });
    }
  });
  console.log(`deadline (30 working days, reminders, explanation): ${ms(timing, 'µs', 1000 / batch)} per deadline`);
}

async function benchTimeline(): Promise<void> {
  const appealId = randomUUID();
  const events: TimelineEvent[] = [];
  for (let seq = 1; seq <= 1_000; seq++) {
    const unsigned = { seq, type: 'reminder_sent' as const, actor: { sub: 'system', role: 'system' as const }, at: new Date().toISOString(), data: { deadline: 'hearing' } };
    events.push({ ...unsigned, hash: eventHash(appealId, events.at(-1)?.hash ?? null, unsigned) });
  }
  const timing = await measure(20, () => verifyTimeline(appealId, events));
  console.log(`timeline verification: ${ms(timing, 'µs', 1000 / events.length)} per event`);
}

async function benchDatabase(url: string): Promise<void> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db = createDataSource({ url, schema });
  try {
    await migrate(db);
    const { openAppeal, recordStep } = createRecordingActivities({ dataSource: db, caseworkerTeam: 'caseworkers@example.org' });
    const submission = {
      department: 'HO',
      parentBody: { name: 'HM Passport Office', managerName: 'Pat', managerEmail: 'pat@example.org' },
      appellant: { name: 'Sam', email: 'sam@example.org' },
      proposedMutual: { name: 'Passport Mutual', service: 'passports', staffCount: 100, annualTurnoverPence: 1_000_000 },
      groundsOfAppeal: 'no_response' as const,
      requestSubmittedOn: '2026-10-01',
      businessCaseSummary: 'A mutual.',
    };
    const caseworker = { sub: 'caseworker-1', role: 'caseworker' as const };
    const ids: string[] = [];
    const opening = await measure(200, async () => {
      const appealId = randomUUID();
      ids.push(appealId);
      await openAppeal({ appealId, submission, submittedBy: caseworker });
    });
    console.log(`open an appeal (row, deadline, event, 2 notices): ${ms(opening)}`);
    const stepping = await measure(200, (run) =>
      recordStep({
        appealId: ids[run],
        key: 'contest',
        event: { type: 'manager_contested', actor: caseworker, data: {} },
        status: 'awaiting_hearing',
        closes: { managerResponse: 'met' },
        starts: 'hearing',
      }),
    );
    console.log(`record a step (status, deadlines, event): ${ms(stepping)}`);

    const count = Number(process.env.BENCH_APPEALS ?? 100_000);
    await seedManyAppeals(db, count);
    console.log(`\nGET /v1/appeals page of 25 at ${count.toLocaleString('en-GB')} appeals (query and item records):`);
    for (const [name, filter] of LIST_FILTERS) {
      const first = await listAppeals(db, { ...filter, limit: 25 });
      const after = first.last ? { createdAt: first.last.createdAt.toISOString(), id: first.last.id } : undefined;
      const firstPage = await measure(15, () => listAppeals(db, { ...filter, limit: 25 }));
      const nextPage = await measure(15, () => listAppeals(db, { ...filter, limit: 25, after }));
      console.log(`  ${name.padEnd(45)} first ${ms(firstPage)}; next ${ms(nextPage)}`);
    }
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
  }
}

async function withDatabase(work: (url: string) => Promise<void>): Promise<void> {
  const given = loadConfig().databaseUrl;
  if (given) return work(given);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-bench-'));
  fs.chmodSync(dir, 0o755);
  let postgres: EmbeddedPostgres | undefined;
  try {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await findFreePort(), logFile: path.join(dir, 'pg.log'), persistent: false });
    await postgres.ensureDatabase('bench');
    await work(postgres.url('bench'));
  } finally {
    await postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--e2e')) return runEndToEnd({ quick: process.argv.includes('--quick') });
  console.log(`mutuals appeals engine benchmarks, ${os.cpus().length} cores, Node ${process.version}\n`);
  await benchDeadlines();
  await benchTimeline();
  await withDatabase(benchDatabase);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
