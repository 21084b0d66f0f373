/**
 * The system under test as separate processes, for the fault suite: a Temporal dev server on a
 * SQLite file and an embedded PostgreSQL on a data folder (each can be killed or stopped and
 * started again on its data), and workers and APIs as child processes
 * (`node --import tsx worker/main.ts` / `api/main.ts`). Every process started here is tracked and
 * stopped by `tearDownSystem()`, also when a scenario fails; a process exit kills what is left.
 *
 * Tooling variables (read here, not by the app): TEMPORAL_CLI (else found or built by
 * scripts/temporal-cli.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { signDevToken } from '../../api/auth/dev-tokens';
import { createDataSource, migrate } from '../../db/data-source';
import type { Role } from '../../domain/appeal';
import { ensureTemporalCli } from '../../scripts/temporal-cli.mjs';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { findFreePort } from '../../scripts/lib/ports';
import { exitOf, hasExited, stopProcess, type Exit } from '../../scripts/lib/processes';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal-dev-server';
import { bundleWorkflows } from '../../worker/worker';
import { waitFor } from '../support/mail';

const HOST = '127.0.0.1';
const NAMESPACE = 'default';
const ROOT = path.resolve(__dirname, '..', '..');
const JWT_SECRET = `faults-${randomBytes(8).toString('hex')}`;
/** Low, so a call held up by a dependency answers 503 quickly (scenario 3 checks the bound). */
export const ACTION_TIMEOUT_SECONDS = 3;
const READY_TIMEOUT_MS = 90_000;
const WORKFLOW_TASK_QUEUE = 1;

export interface FaultSystem {
  tempDir: string;
  workflowBundlePath: string;
  databaseUrl: string;
  schema: string;
  temporalAddress: string;
  /** The suite's own connection, for the SQL checks. */
  db: DataSource;
  /**
   * Calls through the suite's own Temporal client (workflow results, task queue pollers, the
   * storm's openings). Tearing down cancels whatever is still in flight, so no call outlives
   * the connection (a failed scenario may leave some running).
   */
  temporal: <T>(work: (client: Client) => Promise<T>) => Promise<T>;
  token: (role: Role, sub: string, department?: string) => Promise<string>;
  /** SIGKILL the Temporal dev server, and start it again on the same SQLite file and port. */
  killTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** Stop PostgreSQL (fast shutdown: sessions are cut), and start it again on the same data folder. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
}

interface State {
  tempDir?: string;
  temporal?: TemporalDevServer;
  postgres?: EmbeddedPostgres;
  db?: DataSource;
  connection?: Connection;
  system?: FaultSystem;
}

const state: State = {};
const tearingDown = new AbortController();
// Every call in flight listens to it: hundreds at once in the storm.
setMaxListeners(0, tearingDown.signal);
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (!hasExited(child)) child.kill('SIGKILL');
});

export function faultSystem(): FaultSystem {
  if (!state.system) throw new Error('the fault suite system is not running (did the root beforeAll hook fail?)');
  return state.system;
}

/** Start Temporal and PostgreSQL on free ports in a fresh temp folder, and migrate a schema. */
export async function startSystem(): Promise<FaultSystem> {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-faults-'));
  // The embedded server runs as the `postgres` user, which must be able to enter this folder.
  fs.chmodSync(tempDir, 0o755);
  state.tempDir = tempDir;
  const cli = await ensureTemporalCli({ log: (line) => process.stderr.write(`[faults] ${line}\n`) });
  const temporalOptions = {
    cli,
    ip: HOST,
    port: await findFreePort(HOST),
    uiPort: null,
    dbFilename: path.join(tempDir, 'temporal.sqlite'),
    namespace: NAMESPACE,
    logFile: path.join(tempDir, 'temporal.log'),
  };
  const postgresOptions = {
    dataDir: path.join(tempDir, 'postgres'),
    port: await findFreePort(HOST),
    logFile: path.join(tempDir, 'postgres.log'),
    persistent: true,
  };
  const workflowBundlePath = path.join(tempDir, 'workflow-bundle.js');
  const [temporal, postgres, bundle] = await Promise.allSettled([
    startTemporalDevServer(temporalOptions),
    startEmbeddedPostgres(postgresOptions),
    // Built once, so a restarted worker is ready in a few seconds rather than bundling again.
    bundleWorkflows().then(({ code }) => fs.writeFileSync(workflowBundlePath, code)),
  ]);
  if (temporal.status === 'fulfilled') state.temporal = temporal.value;
  if (postgres.status === 'fulfilled') state.postgres = postgres.value;
  if (temporal.status === 'rejected') throw temporal.reason;
  if (postgres.status === 'rejected') throw postgres.reason;
  if (bundle.status === 'rejected') throw bundle.reason;

  await postgres.value.ensureDatabase('appeals');
  const databaseUrl = postgres.value.url('appeals');
  const schema = 'faults';
  const db = createDataSource({ url: databaseUrl, schema });
  state.db = db;
  await migrate(db);
  const connection = await Connection.connect({ address: temporal.value.address });
  state.connection = connection;
  const client = new Client({ connection, namespace: NAMESPACE });

  state.system = {
    tempDir,
    workflowBundlePath,
    databaseUrl,
    schema,
    temporalAddress: temporal.value.address,
    db,
    temporal: (work) => connection.withAbortSignal(tearingDown.signal, () => work(client)),
    token: (role, sub, department) => signDevToken(JWT_SECRET, { role, sub, department }),
    async killTemporal() {
      const server = state.temporal;
      if (!server) return;
      state.temporal = undefined;
      server.killNow();
      await server.unexpectedExit;
    },
    async startTemporal() {
      state.temporal = await startTemporalDevServer(temporalOptions);
    },
    async stopPostgres() {
      const server = state.postgres;
      state.postgres = undefined;
      await server?.stop();
    },
    async startPostgres() {
      state.postgres = await startEmbeddedPostgres(postgresOptions);
    },
  };
  return state.system;
}

/**
 * Stop every process the suite started, then PostgreSQL and Temporal, and remove the temp folder;
 * after a failure, its logs are kept first and their folder is named.
 */
export async function tearDownSystem({ keepLogs = false } = {}): Promise<void> {
  const problems: unknown[] = [];
  const step = async (work: () => unknown): Promise<void> => {
    try {
      await work();
    } catch (error) {
      problems.push(error);
    }
  };
  const { db, connection, postgres, temporal, tempDir } = state;
  Object.assign(state, { system: undefined, db: undefined, connection: undefined, postgres: undefined, temporal: undefined, tempDir: undefined });
  await Promise.all([...children].map((child) => step(() => stopProcess(child, { timeoutMs: 5_000 }))));
  tearingDown.abort();
  await step(() => connection?.close());
  if (db?.isInitialized) await step(() => db.destroy());
  await step(() => Promise.all([postgres?.stop(), temporal?.stop()]));
  if (tempDir && keepLogs) await step(() => keepLogsOf(tempDir));
  if (tempDir) await step(() => fs.rmSync(tempDir, { recursive: true, force: true }));
  if (problems.length > 0) throw new AggregateError(problems, `tearing the fault suite down failed: ${problems.map(String).join('; ')}`);
}

function keepLogsOf(tempDir: string): void {
  const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-faults-logs-'));
  for (const name of ['logs', 'temporal.log', 'postgres.log', 'temporal.sqlite', 'temporal.sqlite-wal', 'temporal.sqlite-shm']) {
    const from = path.join(tempDir, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(kept, name), { recursive: true });
  }
  process.stderr.write(`[faults] a scenario failed: the logs of the API, worker, Temporal and PostgreSQL, and Temporal's SQLite file, are kept in ${kept}\n`);
}

/** A worker or an API running as a child process, its output in a log file of its own. */
export class AppProcess {
  readonly exited: Promise<Exit>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = exitOf(child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** SIGKILL: no chance to finish anything. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  stop(): Promise<Exit> {
    return stopProcess(this.child, { timeoutMs: 10_000 });
  }

  /** The process's output so far (stdout and stderr). */
  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }
}

export interface AppOptions {
  taskQueue: string;
  /** Extra environment of this process, e.g. FAULTS_FAIL_AFTER_COMMIT or SMTP_URL. */
  env?: Record<string, string>;
  /** The API's ACTION_TIMEOUT_SECONDS, when not the suite's low default. */
  actionTimeoutSeconds?: number;
}

let spawned = 0;

function spawnApp(name: string, entry: string, env: NodeJS.ProcessEnv): AppProcess {
  const system = faultSystem();
  const logFile = path.join(system.tempDir, 'logs', `${++spawned}-${name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new AppProcess(name, child, logFile);
}

function appEnv(options: AppOptions, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const system = faultSystem();
  return {
    ...inheritedEnv(),
    DATABASE_URL: system.databaseUrl,
    DATABASE_SCHEMA: system.schema,
    DATA_DIR: path.join(system.tempDir, 'data'),
    AUTH_JWT_SECRET: JWT_SECRET,
    TEMPORAL_ADDRESS: system.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    RATE_LIMIT_PER_MINUTE: '0',
    ACTION_TIMEOUT_SECONDS: String(options.actionTimeoutSeconds ?? ACTION_TIMEOUT_SECONDS),
    LOG_LEVEL: 'warn',
    WORKFLOW_BUNDLE_PATH: system.workflowBundlePath,
    ...extra,
    ...options.env,
  };
}

/** The environment minus whatever would point the app elsewhere than the suite's own servers. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const appSettings = /^(TEMPORAL_|AUTH_|DATABASE_|FAULTS_|SMTP_|WEBHOOK_|PORT$|DATA_DIR$|ACTION_TIMEOUT|RATE_LIMIT|LOG_LEVEL$|TRUST_PROXY$|WORKFLOW_BUNDLE_PATH$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !appSettings.test(key)));
}

/** Start a worker and wait until it polls its task queue. */
export async function startWorker(options: AppOptions): Promise<AppProcess> {
  const worker = spawnApp('worker', 'worker/main.ts', appEnv(options));
  await waitUntilReady(worker, () => isPolling(worker, options.taskQueue));
  return worker;
}

/** Start an API on `port` and wait until it answers /healthz. */
export async function startApi(options: AppOptions & { port: number }): Promise<AppProcess> {
  const api = spawnApp('api', 'api/main.ts', appEnv(options, { PORT: String(options.port) }));
  await waitUntilReady(api, () =>
    fetch(`http://${HOST}:${options.port}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    ),
  );
  return api;
}

export const apiUrlOf = (port: number): string => `http://${HOST}:${port}`;
export const newTaskQueue = (scenario: string): string => `faults-${scenario}-${randomBytes(3).toString('hex')}`;
export { findFreePort };

async function waitUntilReady(app: AppProcess, ready: () => Promise<boolean>): Promise<void> {
  await waitFor(
    `the ${app.name} (pid ${app.pid}) to be ready`,
    async () => {
      if (hasExited(app.child)) throw new Error(`the ${app.name} exited while starting; its log ends with:\n${tail(app.log(), 20)}`);
      return (await ready()) ? true : undefined;
    },
    READY_TIMEOUT_MS,
  );
}

/** The worker's default identity is `<pid>@<host>`. */
async function isPolling(worker: AppProcess, taskQueue: string): Promise<boolean> {
  try {
    const { pollers } = await faultSystem().temporal((client) =>
      client.workflowService.describeTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, taskQueueType: WORKFLOW_TASK_QUEUE }),
    );
    return pollers?.some((poller) => poller.identity?.startsWith(`${worker.pid}@`)) ?? false;
  } catch {
    return false;
  }
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).map((line) => `  | ${line}`).join('\n');
}
