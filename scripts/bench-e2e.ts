/**
 * `npm run bench -- --e2e [--quick] [--appeals N]`: the engine end to end, each figure beside a
 * same-shape baseline measured in the same run, on a stack of its own (bench/stack.ts):
 *   - `POST /v1/appeals` at concurrency 8 and 32 against a workflow started with update-with-start
 *     whose update awaits one no-op activity (bench/baseline-workflow.ts), on its own task queue and
 *     worker, driven by a Temporal client in the same kind of load process;
 *   - an appeal's whole lifecycle (opened, contested, an arbiter assigned, the hearing scheduled and
 *     held, dismissed) at concurrency 16 against the same baseline workflow taken through five more
 *     updates, each awaiting one no-op activity;
 *   - `GET /v1/appeals/{id}` and `GET /v1/appeals?status=awaiting_manager_response&limit=25` at
 *     concurrency 16 against a minimal Express app answering the same JSON from the same PostgreSQL
 *     with one `pg` query (bench/baseline-read-api.ts), the appeals table first grown to N appeals
 *     (db/bulk-seed.ts; 100,000 by default; with --quick none are added: the appeals the figures
 *     before opened, a few hundred, keep the quick run short).
 * The load comes from bench/load.ts, a process apart from every server (autocannon for HTTP).
 * Each figure runs three times (once with --quick), engine then baseline, each after a short
 * warm-up; the CPU time of every server process is sampled around the measured part. Writes
 * bench/results.json and prints a markdown table: median (min-max) of each side and the ratio
 * engine/baseline of the medians. `--only opening,lifecycle,reads,kept` (any of them) runs only
 * those figures and prints them without writing bench/results.json: for trying a change. `kept`
 * (only when asked for) measures what issue 11 asked to keep: see measureKept.
 */
import readline from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Stack, type ServerName } from '../bench/stack';
import { cpuMilliseconds, pidsByCommandLine } from '../bench/cpu';
import type { LoadPlan, LoadResult } from '../bench/load';
import { BASELINE_LIST_TABLE, BASELINE_VIEWS_TABLE } from '../bench/baseline-shared';
import { seedManyAppeals } from '../db/bulk-seed';
import { createDataSource } from '../db/data-source';
import { MAX_PAGE } from '../api/appeals/schemas';
import { DEFAULT_POLICY } from '../domain/policy';
import { spawnChild, stopProcess } from './lib/processes';

const root = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(root, 'bench', 'results.json');
/** How many appeals the `GET /v1/appeals/{id}` figure spreads its requests over. */
const READ_SAMPLE = 200;
/** The filtered page the list figure asks for. */
const LIST_STATUS = 'awaiting_manager_response';
const LIST_PATH = `/v1/appeals?status=${LIST_STATUS}&limit=25`;
/** The arbiter the lifecycle figure's appeals are assigned to: from no department, so never a conflict of interest. */
const ARBITER = { id: 'bench-arbiter', name: 'Robin Arbiter', email: 'robin@arbiters.example.org' };

const SUBMISSION = {
  department: 'HO',
  parentBody: { name: 'HM Passport Office', managerName: 'Pat', managerEmail: 'pat@example.org' },
  appellant: { name: 'Sam', email: 'sam@example.org' },
  proposedMutual: { name: 'Passport Mutual', service: 'passports', staffCount: 100, annualTurnoverPence: 1_000_000 },
  groundsOfAppeal: 'no_response',
  requestSubmittedOn: '2026-10-01',
  businessCaseSummary: 'A mutual.',
};

export interface EndToEndOptions {
  quick: boolean;
}

interface Settings {
  repetitions: number;
  warmupSeconds: number;
  seconds: number;
  postConcurrencies: number[];
  lifecycleConcurrency: number;
  getConcurrency: number;
  /** How many appeals the read figures run against, at least: the appeals table is seeded up to this; undefined adds none. */
  appeals: number | undefined;
  /** The figure groups to run; undefined runs all and writes bench/results.json. */
  only: FigureGroup[] | undefined;
}

type Group = ServerName | 'postgres' | 'temporal';

const WRITE_GROUPS: Group[] = ['api', 'worker', 'postgres', 'temporal'];
const TEMPORAL_BASELINE_GROUPS: Group[] = ['baseline worker', 'temporal'];
const READ_GROUPS: Group[] = ['api', 'postgres'];
const READ_BASELINE_GROUPS: Group[] = ['baseline read API', 'postgres'];

/** One measured run of one side. */
interface Run extends LoadResult {
  /** CPU milliseconds per request (per lifecycle, for the lifecycle figure) of each server process (tree) involved; none when nothing was done. */
  cpuMsPerRequest: Partial<Record<Group, number>>;
  cpuMsPerRequestTotal: number | null;
}

interface Side {
  what: string;
  runs: Run[];
}

interface Figure {
  name: string;
  unit: string;
  engine: Side;
  baseline: Side;
}

/** What a figure measures: for each side, the load and the server processes to sample. */
interface FigurePlan {
  name: string;
  unit: string;
  engine: SidePlan;
  baseline: SidePlan;
}

interface SidePlan {
  what: string;
  plan: LoadPlan;
  groups: Group[];
}

/** Runs one load process to the end and answers its run. */
type Load = (plan: LoadPlan, groups: Group[]) => Promise<Run>;

/** The load plans' timing at one concurrency. */
interface Timing {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

interface Summary {
  median: number;
  min: number;
  max: number;
}

/** Of the values there are (a run where nothing ended has no latency); null if none. */
function summary(values: (number | null)[]): Summary | null {
  const sorted = values.filter((value) => value !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

class Stopped extends Error {}

/** The kept figures' deadlines: this many appeals opened at this pace, each defaulting a minute after it opened. */
const KEPT_DEADLINES = 1_000;
const KEPT_DEADLINES_PER_MINUTE = 500;
const KEPT_DEADLINE_SECONDS = 60;
const KEPT_OPEN_APPEALS = 2_000;

const FIGURE_GROUPS = ['opening', 'lifecycle', 'reads', 'kept'] as const;
type FigureGroup = (typeof FIGURE_GROUPS)[number];

/** `--only a,b` from the command line: the figure groups to run (all when not given). */
function onlyOption(argv: string[]): FigureGroup[] | undefined {
  const at = argv.indexOf('--only');
  if (at < 0) return undefined;
  const groups = (argv[at + 1] ?? '').split(',');
  const unknown = groups.filter((group) => !(FIGURE_GROUPS as readonly string[]).includes(group));
  if (unknown.length > 0 || groups.length === 0) throw new Error(`--only takes figure groups among ${FIGURE_GROUPS.join(', ')}, not ${argv[at + 1] ?? 'nothing'}`);
  return groups as FigureGroup[];
}

/** `--appeals N` from the command line, if given. */
function appealsOption(argv: string[]): number | undefined {
  const at = argv.indexOf('--appeals');
  if (at < 0) return undefined;
  const count = Number(argv[at + 1]);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`--appeals needs a whole number of appeals, not ${argv[at + 1] ?? 'nothing'}`);
  return count;
}

function settingsFor(options: EndToEndOptions): Settings {
  const appeals = appealsOption(process.argv);
  const only = onlyOption(process.argv);
  return options.quick
    ? { repetitions: 1, warmupSeconds: 3, seconds: 10, postConcurrencies: [8], lifecycleConcurrency: 16, getConcurrency: 16, appeals, only }
    : { repetitions: 3, warmupSeconds: 5, seconds: 20, postConcurrencies: [8, 32], lifecycleConcurrency: 16, getConcurrency: 16, appeals: appeals ?? 100_000, only };
}

export async function runEndToEnd(options: EndToEndOptions): Promise<void> {
  const settings = settingsFor(options);
  const stack = new Stack();
  let stopReason: string | undefined;
  let onStop: () => void = () => undefined;
  const stopOn = (signal: NodeJS.Signals): void => {
    stopReason ??= `Received ${signal}`;
    onStop();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stopOn);
  const killNow = (): void => stack.killNow();
  process.on('exit', killNow);
  const stopped = (): boolean => stopReason !== undefined;

  const started = Date.now();
  try {
    say(`End-to-end benchmark${options.quick ? ' (--quick)' : ''}: ${os.cpus().length} cores, Node ${process.version}`);
    await stack.start(say, stopped);
    if (stopped()) throw new Stopped(stopReason);
    say(`Stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
    // One appeal opened before the load, so that a refusal shows its reason instead of a table of failures.
    await openAppeal(stack);

    const load: Load = async (plan, groups) => {
      const child = spawnChild(process.execPath, ['--import', 'tsx', path.join('bench', 'load.ts'), JSON.stringify(plan)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      onStop = () => void stopProcess(child);
      const pids = processGroups(stack, groups);
      let before: Record<string, number> | undefined;
      let result: LoadResult | undefined;
      let after: Record<string, number> | undefined;
      if (child.stdout) {
        for await (const line of readline.createInterface({ input: child.stdout })) {
          if (!line.startsWith('{')) continue; // not ours: a library's chatter
          const message = JSON.parse(line) as { phase: 'measuring' } | { phase: 'measured' } | { phase: 'done'; result: LoadResult };
          if (message.phase === 'measuring') before = cpuMilliseconds(pids);
          else if (message.phase === 'measured') after = cpuMilliseconds(pids);
          else result = message.result;
        }
      }
      const exit = await stopProcess(child);
      onStop = () => undefined;
      if (stopped()) throw new Stopped(stopReason);
      if (!result || !before || !after) throw new Error(`the load process ended without a result (exit code ${exit.code})`);
      if (result.requests === 0) return { ...result, cpuMsPerRequest: {}, cpuMsPerRequestTotal: null };
      const cpuMsPerRequest = Object.fromEntries(groups.map((group) => [group, (after[group] - before[group]) / result.requests]));
      return { ...result, cpuMsPerRequest, cpuMsPerRequestTotal: Object.values(cpuMsPerRequest).reduce((sum, ms) => sum + ms, 0) };
    };
    const measure = async (plan: FigurePlan): Promise<Figure> => {
      const figure: Figure = { name: plan.name, unit: plan.unit, engine: { what: plan.engine.what, runs: [] }, baseline: { what: plan.baseline.what, runs: [] } };
      for (let repetition = 1; repetition <= settings.repetitions; repetition++) {
        say(`${figure.name}, repetition ${repetition}/${settings.repetitions} ...`);
        figure.engine.runs.push(await load(plan.engine.plan, plan.engine.groups));
        figure.baseline.runs.push(await load(plan.baseline.plan, plan.baseline.groups));
      }
      return figure;
    };
    const at = (connections: number): Timing => ({ connections, warmupSeconds: settings.warmupSeconds, seconds: settings.seconds });

    // The kept figures need a stack with no appeals yet (memory per appeal): only when asked for.
    const runs = (group: FigureGroup): boolean => settings.only?.includes(group) ?? group !== 'kept';
    const figures: Figure[] = [];
    if (runs('opening')) for (const connections of settings.postConcurrencies) figures.push(await measure(openingFigure(stack, at(connections))));
    if (runs('lifecycle')) figures.push(await measure(await lifecycleFigure(stack, at(settings.lifecycleConcurrency))));

    let appeals: number | undefined;
    if (runs('reads')) {
      // The reads pick appeals the engine opened; with nothing run before, open them first.
      if (!runs('opening') && !runs('lifecycle')) for (let opened = 0; opened < READ_SAMPLE; opened++) await openAppeal(stack);
      const paths = await prepareViews(stack);
      appeals = await seedAppeals(stack, settings.appeals);
      const listed = await prepareList(stack);
      figures.push(await measure(viewFigure(stack, at(settings.getConcurrency), paths, appeals)));
      figures.push(await measure(listFigure(stack, at(settings.getConcurrency), listed, appeals)));
    }

    if (runs('kept')) await measureKept(stack, (plan) => load(plan, WRITE_GROUPS), at(8));

    const seconds = (Date.now() - started) / 1000;
    if (settings.only) {
      if (figures.length > 0) say(`\n${markdownTable(figures)}\n`);
      for (const figure of figures) say(`${figure.name}: CPU ms per request by process, engine ${cpuByProcess(figure.engine)}; baseline ${cpuByProcess(figure.baseline)}`);
      return;
    }
    fs.writeFileSync(
      RESULTS_FILE,
      `${JSON.stringify({ at: new Date().toISOString(), quick: options.quick, cores: os.cpus().length, node: process.version, settings, appeals, seconds, figures: figures.map(withSummaries) }, null, 2)}\n`,
    );
    say();
    say(markdownTable(figures));
    say();
    say(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}; ${seconds.toFixed(0)}s in all.`);
  } finally {
    say('Stopping the stack ...');
    await stack.stop();
    process.off('exit', killNow);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, stopOn);
  }
}

function openingFigure(stack: Stack, timing: Timing): FigurePlan {
  return {
    name: `\`POST /v1/appeals\`, concurrency ${timing.connections}`,
    unit: 'appeals/s',
    engine: {
      what: 'the engine: API, worker, PostgreSQL, Temporal',
      plan: { ...timing, kind: 'http', url: `${stack.apiUrl}/v1/appeals`, method: 'POST', headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' }, body: JSON.stringify(SUBMISSION) },
      groups: WRITE_GROUPS,
    },
    baseline: {
      what: 'update-with-start, the update awaiting one no-op activity: baseline worker, Temporal (the client is the load process)',
      plan: { ...timing, kind: 'temporal', address: stack.temporal?.address ?? '', namespace: stack.config.temporal.namespace, unit: 'open' },
      groups: TEMPORAL_BASELINE_GROUPS,
    },
  };
}

/** Registers the arbiter and signs the tokens of the people who take the lifecycle figure's appeals along. */
async function lifecycleFigure(stack: Stack, timing: Timing): Promise<FigurePlan> {
  const admin = await stack.signToken({ sub: 'bench-admin', role: 'admin' });
  await create(stack, admin, '/v1/arbiters', ARBITER);
  const tokens = {
    caseworker: stack.token,
    manager: await stack.signToken({ sub: 'bench-manager', role: 'manager', department: SUBMISSION.department }),
    arbiter: await stack.signToken({ sub: ARBITER.id, role: 'arbiter' }),
  };
  return {
    name: `Whole lifecycle (open, contest, assign an arbiter, schedule, hold, dismiss), concurrency ${timing.connections}`,
    unit: 'appeals/s',
    engine: {
      what: 'six API calls one after another per appeal: API, worker, PostgreSQL, Temporal',
      plan: { ...timing, kind: 'lifecycle', url: stack.apiUrl, submission: SUBMISSION, tokens, arbiterId: ARBITER.id },
      groups: WRITE_GROUPS,
    },
    baseline: {
      what: 'update-with-start then five updates, one after another, each awaiting one no-op activity: baseline worker, Temporal (the client is the load process)',
      plan: { ...timing, kind: 'temporal', address: stack.temporal?.address ?? '', namespace: stack.config.temporal.namespace, unit: 'lifecycle' },
      groups: TEMPORAL_BASELINE_GROUPS,
    },
  };
}

function viewFigure(stack: Stack, timing: Timing, paths: string[], appeals: number): FigurePlan {
  return {
    name: `\`GET /v1/appeals/{id}\`, concurrency ${timing.connections}, ${number(appeals)} appeals`,
    unit: 'req/s',
    engine: {
      what: `the engine's API and PostgreSQL, over ${paths.length} appeals the engine opened`,
      plan: { ...timing, kind: 'http', url: stack.apiUrl, method: 'GET', headers: { authorization: `Bearer ${stack.token}` }, paths },
      groups: READ_GROUPS,
    },
    baseline: {
      what: 'minimal Express app, one `pg` query by primary key on a table of the stored answers: baseline read API, PostgreSQL',
      plan: { ...timing, kind: 'http', url: stack.baselineReadUrl, method: 'GET', headers: {}, paths },
      groups: READ_BASELINE_GROUPS,
    },
  };
}

function listFigure(stack: Stack, timing: Timing, listed: number, appeals: number): FigurePlan {
  return {
    name: `\`GET ${LIST_PATH}\`, concurrency ${timing.connections}, ${number(appeals)} appeals`,
    unit: 'req/s',
    engine: {
      what: `the engine's API and PostgreSQL; ${number(listed)} of the appeals are ${LIST_STATUS}`,
      plan: { ...timing, kind: 'http', url: stack.apiUrl, method: 'GET', headers: { authorization: `Bearer ${stack.token}` }, paths: [LIST_PATH] },
      groups: READ_GROUPS,
    },
    baseline: {
      what: 'minimal Express app, one keyset `pg` query on a table of the stored list items indexed on (status, created_at DESC, id DESC): baseline read API, PostgreSQL',
      plan: { ...timing, kind: 'http', url: stack.baselineReadUrl, method: 'GET', headers: {}, paths: [LIST_PATH] },
      groups: READ_BASELINE_GROUPS,
    },
  };
}

/** The server processes (trees) to sample, by name. */
function processGroups(stack: Stack, groups: Group[]): Record<string, number[]> {
  const pidsOf = (group: Group): number[] => {
    if (group === 'postgres') return pidsByCommandLine(stack.postgres?.dataDir ?? stack.dir);
    if (group === 'temporal') return pidsByCommandLine(path.join(stack.dir, 'temporal.sqlite'));
    const pid = stack.children.get(group)?.pid;
    return pid ? [pid] : [];
  };
  return Object.fromEntries(groups.map((group) => [group, pidsOf(group)]));
}

/** POST `body` as JSON with `token`; anything but 201 Created is an error. */
async function create(stack: Stack, token: string, urlPath: string, body: unknown): Promise<void> {
  const response = await fetch(`${stack.apiUrl}${urlPath}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${urlPath} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}

/** Opens an appeal through the API as the caseworker. */
const openAppeal = (stack: Stack, submission: object = SUBMISSION): Promise<void> => create(stack, stack.token, '/v1/appeals', submission);

/** The answer to a GET, as text; anything but 200 is an error. */
async function answerTo(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/** The engine's answer to a GET as the caseworker. */
const engineAnswer = (stack: Stack, urlPath: string): Promise<string> => answerTo(`${stack.apiUrl}${urlPath}`, { authorization: `Bearer ${stack.token}` });

async function withDatabase<T>(stack: Stack, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Picks appeals the engine opened in the figures before, stores the engine's `GET /v1/appeals/{id}`
 * answer for each in the read baseline's table (a `json` column, so the text is kept as the engine
 * wrote it), and returns their paths.
 */
async function prepareViews(stack: Stack): Promise<string[]> {
  return withDatabase(stack, async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "${stack.config.databaseSchema}".appeals ORDER BY random() LIMIT $1`, [READ_SAMPLE]);
    await client.query(`CREATE TABLE ${BASELINE_VIEWS_TABLE} (id uuid PRIMARY KEY, body json NOT NULL)`);
    for (const { id } of rows) {
      await client.query(`INSERT INTO ${BASELINE_VIEWS_TABLE} (id, body) VALUES ($1, $2)`, [id, await engineAnswer(stack, `/v1/appeals/${id}`)]);
    }
    return rows.map(({ id }) => `/v1/appeals/${id}`);
  });
}

/** Grows the appeals table to `target` appeals with db/bulk-seed.ts (older than the engine's own); answers how many there are. */
async function seedAppeals(stack: Stack, target: number | undefined): Promise<number> {
  const dataSource = createDataSource({ url: stack.databaseUrl, schema: stack.config.databaseSchema });
  await dataSource.initialize();
  try {
    const count = async (): Promise<number> => Number((await dataSource.query<{ count: string }[]>(`SELECT count(*) FROM appeals`))[0].count);
    const missing = (target ?? 0) - (await count());
    if (missing > 0) {
      const started = Date.now();
      say(`Seeding ${number(missing)} appeals ...`);
      await seedManyAppeals(dataSource, missing);
      say(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
    }
    return await count();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Stores every item the engine lists for LIST_STATUS (read page by page through the API) in the
 * read baseline's list table, as the engine wrote it, with its status, created_at and id; checks
 * that the baseline's first page lists the same appeals with the same cursor as the engine's.
 * Answers how many appeals have that status.
 */
async function prepareList(stack: Stack): Promise<number> {
  const listed = await withDatabase(stack, async (client) => {
    await client.query(`CREATE TABLE ${BASELINE_LIST_TABLE} (id uuid PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, body json NOT NULL)`);
    await client.query(`CREATE INDEX ${BASELINE_LIST_TABLE}_page_idx ON ${BASELINE_LIST_TABLE} (status, created_at DESC, id DESC)`);
    let cursor: string | null = null;
    do {
      const page = await engineAnswer(stack, `/v1/appeals?status=${LIST_STATUS}&limit=${MAX_PAGE}${cursor ? `&cursor=${cursor}` : ''}`);
      await client.query(
        `INSERT INTO ${BASELINE_LIST_TABLE} (id, status, created_at, body)
         SELECT (item->>'id')::uuid, $2, (item->>'createdAt')::timestamptz, item FROM json_array_elements($1::json->'items') AS item`,
        [page, LIST_STATUS],
      );
      cursor = (JSON.parse(page) as { nextCursor: string | null }).nextCursor;
    } while (cursor);
    await client.query(`ANALYZE ${BASELINE_LIST_TABLE}`);
    return Number((await client.query<{ count: string }>(`SELECT count(*) FROM ${BASELINE_LIST_TABLE}`)).rows[0].count);
  });
  const [engine, baseline] = await Promise.all([engineAnswer(stack, LIST_PATH), answerTo(`${stack.baselineReadUrl}${LIST_PATH}`)]);
  const pageKey = (text: string): string => {
    const page = JSON.parse(text) as { items: { id: string }[]; nextCursor: string | null };
    return JSON.stringify({ ids: page.items.map((item) => item.id), nextCursor: page.nextCursor });
  };
  if (pageKey(engine) !== pageKey(baseline)) throw new Error(`the read baseline's first page of ${LIST_PATH} differs from the engine's: ${pageKey(baseline)} against ${pageKey(engine)}`);
  return listed;
}

function sideSummary(side: Side): { perSecond: Summary | null; p50Ms: Summary | null; p99Ms: Summary | null; cpuMsPerRequest: Summary | null; failures: number } {
  return {
    perSecond: summary(side.runs.map((run) => run.perSecond)),
    p50Ms: summary(side.runs.map((run) => run.p50Ms)),
    p99Ms: summary(side.runs.map((run) => run.p99Ms)),
    cpuMsPerRequest: summary(side.runs.map((run) => run.cpuMsPerRequestTotal)),
    failures: side.runs.reduce((sum, run) => sum + run.failures, 0),
  };
}

/**
 * What issue 11 asked to keep, on a stack that has opened no appeal yet:
 *   - deadline lag at KEPT_DEADLINES_PER_MINUTE: KEPT_DEADLINES appeals opened through the API at
 *     that pace in a department whose managers have KEPT_DEADLINE_SECONDS to answer, so that their
 *     deadlines fall due at that pace while appeals are still being opened; each default's lag is
 *     its timeline event's instant less its deadline's;
 *   - the worker's memory per open appeal: its resident set before and after those were opened;
 *   - `POST /v1/appeals` at concurrency 8 with KEPT_OPEN_APPEALS open appeals, against the same
 *     on the stack with none.
 */
async function measureKept(stack: Stack, load: (plan: LoadPlan) => Promise<Run>, timing: Timing): Promise<void> {
  const opening = openingFigure(stack, timing).engine.plan;
  const empty = await load(opening);
  const department = await createKeptDepartment(stack);
  const worker = stack.children.get('worker')?.pid;
  const rssBefore = residentMegabytes(worker);
  const submission = { ...SUBMISSION, department };
  const pace = 60_000 / KEPT_DEADLINES_PER_MINUTE;
  const started = Date.now();
  await inParallel(KEPT_DEADLINES, 16, async (i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + i * pace - Date.now())));
    await openAppeal(stack, submission);
  });
  const rssAfter = residentMegabytes(worker);
  const lags = await awaitDefaults(stack, department, KEPT_DEADLINES);
  const open = await withDatabase(stack, async (client) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM appeals`)).rows[0].n));
  await inParallel(Math.max(0, KEPT_OPEN_APPEALS - open), 8, () => openAppeal(stack));
  const loaded = await load(opening);
  const sorted = [...lags].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  say();
  say(`Deadline lag, ${number(KEPT_DEADLINES)} deadlines at ${KEPT_DEADLINES_PER_MINUTE} a minute: p50 ${number(at(0.5))} ms, p99 ${number(at(0.99))} ms, max ${number(sorted.at(-1))} ms (target: p99 < 2,000 ms)`);
  say(`Worker memory: ${number(rssBefore)} MB before, ${number(rssAfter)} MB with ${number(KEPT_DEADLINES)} more open appeals: ${((rssAfter - rssBefore) / KEPT_DEADLINES).toFixed(2)} MB per open appeal (target: at most 0.5)`);
  say(`\`POST /v1/appeals\`, concurrency 8: ${number(empty.perSecond, 1)} appeals/s with no appeal open, ${number(loaded.perSecond, 1)}/s with ${number(Math.max(open, KEPT_OPEN_APPEALS))} open: ${((loaded.perSecond ?? NaN) / (empty.perSecond ?? NaN)).toFixed(2)} (target: at least 0.85)`);
}

/** A department whose managers have KEPT_DEADLINE_SECONDS to answer and get no reminder. */
async function createKeptDepartment(stack: Stack): Promise<string> {
  const admin = await stack.signToken({ sub: 'bench-admin', role: 'admin' });
  const code = 'KEPT';
  const second = (amount: number) => ({ amount, unit: 'seconds' });
  const policy = { ...DEFAULT_POLICY, managerResponse: second(KEPT_DEADLINE_SECONDS), hearingWithin: second(3600), decisionWithin: second(3600), complianceWithin: second(3600), reminders: [] };
  await create(stack, admin, '/v1/departments', { code, name: 'Benchmark deadlines', policy });
  return code;
}

/** Waits until `count` appeals of the department have defaulted; answers each default's lag after its deadline, in ms. */
async function awaitDefaults(stack: Stack, department: string, count: number): Promise<number[]> {
  const deadline = Date.now() + 600_000;
  return withDatabase(stack, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ lag: number }>(
        `SELECT extract(epoch FROM e.at - d.due_at) * 1000 AS lag
           FROM timeline_events e JOIN appeals a ON a.id = e.appeal_id JOIN appeal_deadlines d ON d.appeal_id = e.appeal_id AND d.kind = 'managerResponse'
          WHERE a.department_code = $1 AND e.type = 'manager_defaulted'`,
        [department],
      );
      if (rows.length >= count) return rows.map((row) => Number(row.lag));
      if (Date.now() > deadline) throw new Error(`only ${rows.length} of ${count} appeals defaulted within 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  });
}

/** Runs `work` for 0..n-1, at most `concurrency` at once. */
async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await work(next++);
  }));
}

/** A process's resident set in MB, from /proc. */
function residentMegabytes(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Each process's median CPU milliseconds per request, as `name N, ...`. */
function cpuByProcess(side: Side): string {
  const groups = Object.keys(side.runs[0]?.cpuMsPerRequest ?? {}) as Group[];
  return groups.map((group) => `${group} ${number(summary(side.runs.map((run) => run.cpuMsPerRequest[group] ?? null))?.median, 1)}`).join(', ');
}

const ratioOf = (figure: Figure): number => (sideSummary(figure.engine).perSecond?.median ?? NaN) / (sideSummary(figure.baseline).perSecond?.median ?? NaN);

function withSummaries(figure: Figure): object {
  return {
    ...figure,
    engine: { ...figure.engine, summary: sideSummary(figure.engine) },
    baseline: { ...figure.baseline, summary: sideSummary(figure.baseline) },
    ratio: ratioOf(figure),
  };
}

/** A number as the table shows it; a dash for none. */
const number = (value: number | undefined, digits = 0): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (value: number | undefined): string => number(value, value !== undefined && value < 100 ? 1 : 0);

function describeSide(side: Side, unit: string): string {
  const s = sideSummary(side);
  const spread = side.runs.length > 1 ? ` (${rate(s.perSecond?.min)}-${rate(s.perSecond?.max)})` : '';
  const failures = s.failures ? `, ${number(s.failures)} failed` : '';
  const ms = (latency: Summary | null): string => (latency ? `${number(latency.median)} ms` : '–');
  return `${rate(s.perSecond?.median)} ${unit}${spread}, p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}${failures}`;
}

function markdownTable(figures: Figure[]): string {
  const lines = ['| figure | engine | same-shape baseline | ratio | CPU ms per request, engine / baseline |', '|---|---|---|---|---|'];
  for (const figure of figures) {
    const cpu = `${number(sideSummary(figure.engine).cpuMsPerRequest?.median, 1)} / ${number(sideSummary(figure.baseline).cpuMsPerRequest?.median, 1)}`;
    lines.push(`| ${figure.name} | ${describeSide(figure.engine, figure.unit)} | ${describeSide(figure.baseline, figure.unit)} | ${number(ratioOf(figure), 2)} | ${cpu} |`);
  }
  return lines.join('\n');
}
