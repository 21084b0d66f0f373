/**
 * The end-to-end benchmark's own stack, started as `npm start` starts it but in a throwaway folder
 * under os.tmpdir() and on free ports: an embedded PostgreSQL, a Temporal dev server (headless),
 * the API and the worker as processes of their own, and the two baselines' processes (the
 * Temporal baseline's worker, the read baseline's Express app). stop() takes it all down again.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { signDevToken, type DevTokenClaims } from '../api/auth/dev-tokens';
import { ensureTemporalCli } from '../scripts/temporal-cli.mjs';
import { startTemporalDevServer, type TemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../scripts/lib/embedded-postgres';
import { findFreePort } from '../scripts/lib/ports';
import { describeExit, exitOf, hasExited, spawnChild, stopProcess } from '../scripts/lib/processes';
import { BASELINE_TASK_QUEUE } from './baseline-shared';

const HOST = '127.0.0.1';
const DATABASE = 'appeals';
const READY_TIMEOUT_MS = 120_000;
/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW */
const WORKFLOW_TASK_QUEUE = 1;
const root = path.resolve(__dirname, '..');

export type ServerName = 'api' | 'worker' | 'baseline worker' | 'baseline read API';

export class Stack {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-bench-e2e-'));
  readonly config: Config = loadConfig();
  readonly children = new Map<ServerName, ChildProcess>();
  postgres?: EmbeddedPostgres;
  temporal?: TemporalDevServer;
  databaseUrl = '';
  apiUrl = '';
  baselineReadUrl = '';
  /** A caseworker's bearer token for the API. */
  token = '';
  private secret = '';

  /** Where each server's output goes. */
  logFile(name: string): string {
    return path.join(this.dir, `${name.replaceAll(' ', '-')}.log`);
  }

  async start(say: (line: string) => void, stopped: () => boolean): Promise<void> {
    fs.chmodSync(this.dir, 0o755); // PostgreSQL may run as its own user
    say(`Starting PostgreSQL and the Temporal dev server (data: ${this.dir}) ...`);
    const [postgres, temporal] = await Promise.allSettled([this.startPostgres(), this.startTemporal(say)]);
    if (postgres.status === 'rejected') throw postgres.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    if (stopped()) return;

    const dataSource = createDataSource({ url: this.databaseUrl, schema: this.config.databaseSchema });
    try {
      await migrate(dataSource);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
    if (stopped()) return;

    this.secret = crypto.randomBytes(32).toString('base64url');
    const [apiPort, readPort] = [await findFreePort(), await findFreePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      DATA_DIR: this.dir,
      AUTH_JWT_SECRET: this.secret,
      TEMPORAL_ADDRESS: this.temporal?.address,
      TEMPORAL_NAMESPACE: this.config.temporal.namespace,
      // One caller sends all the load: the per-caller limit would measure itself.
      RATE_LIMIT_PER_MINUTE: '0',
    };
    say('Starting the worker, the API and the baselines ...');
    this.spawn('worker', 'worker/main.ts', env);
    this.spawn('api', 'api/main.ts', { ...env, PORT: String(apiPort) });
    this.spawn('baseline worker', 'bench/baseline-worker.ts', env);
    this.spawn('baseline read API', 'bench/baseline-read-api.ts', { ...env, PORT: String(readPort) });
    this.apiUrl = `http://${HOST}:${apiPort}`;
    this.baselineReadUrl = `http://${HOST}:${readPort}`;
    this.token = await this.signToken({ sub: 'bench-caseworker', role: 'caseworker' });

    await Promise.all([
      this.waitForHttp('api', `${this.apiUrl}/readyz`, stopped),
      this.waitForHttp('baseline read API', `${this.baselineReadUrl}/readyz`, stopped),
      this.waitForPoller('worker', this.config.temporal.taskQueue, stopped),
      this.waitForPoller('baseline worker', BASELINE_TASK_QUEUE, stopped),
    ]);
  }

  /** A bearer token the stack's API accepts. */
  signToken(claims: DevTokenClaims): Promise<string> {
    return signDevToken(this.secret, claims, { issuer: this.config.auth.issuer, audience: this.config.auth.audience });
  }

  private async startPostgres(): Promise<void> {
    // persistent: fsync and synchronous commits on, as `npm start` runs it (stop() removes the folder anyway).
    this.postgres = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'postgres'), port: await findFreePort(), logFile: this.logFile('postgres'), persistent: true });
    await this.postgres.ensureDatabase(DATABASE);
    this.databaseUrl = this.postgres.url(DATABASE);
  }

  private async startTemporal(say: (line: string) => void): Promise<void> {
    const cli = await ensureTemporalCli({ log: say });
    this.temporal = await startTemporalDevServer({
      cli,
      ip: HOST,
      port: await findFreePort(),
      uiPort: null,
      dbFilename: path.join(this.dir, 'temporal.sqlite'),
      namespace: this.config.temporal.namespace,
      logFile: this.logFile('temporal'),
    });
  }

  private spawn(name: ServerName, entry: string, env: NodeJS.ProcessEnv): void {
    const out = fs.openSync(this.logFile(name), 'a');
    const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE_DIR, name.replaceAll(' ', '-'))}`] : [];
    const child = spawnChild(process.execPath, [...profile, '--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.children.set(name, child);
  }

  private childOf(name: ServerName): ChildProcess {
    const child = this.children.get(name);
    if (!child) throw new Error(`the ${name} was not started`);
    return child;
  }

  private async stillRunning(name: ServerName): Promise<void> {
    const child = this.childOf(name);
    if (hasExited(child)) throw new Error(`the ${name} ${describeExit(await exitOf(child))} (see ${this.logFile(name)})`);
  }

  private async waitForHttp(name: ServerName, url: string, stopped: () => boolean): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline && !stopped()) {
      await this.stillRunning(name);
      try {
        if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!stopped()) throw new Error(`the ${name} was not ready within ${READY_TIMEOUT_MS / 1000}s (see ${this.logFile(name)})`);
  }

  /** Until the task queue has a poller whose identity is the worker's default, `<pid>@<host>`. */
  private async waitForPoller(name: ServerName, taskQueue: string, stopped: () => boolean): Promise<void> {
    const identityPrefix = `${this.childOf(name).pid}@`;
    const connection = await Connection.connect({ address: this.temporal?.address });
    try {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (Date.now() < deadline && !stopped()) {
        await this.stillRunning(name);
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace: this.config.temporal.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: WORKFLOW_TASK_QUEUE,
        });
        if (pollers?.some((poller) => poller.identity?.startsWith(identityPrefix))) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (!stopped()) throw new Error(`the ${name} did not poll task queue ${taskQueue} within ${READY_TIMEOUT_MS / 1000}s (see ${this.logFile(name)})`);
    } finally {
      await connection.close();
    }
  }

  /** Stops the servers, then PostgreSQL and Temporal, and removes the folder. Never throws. */
  async stop(): Promise<void> {
    const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        process.stderr.write(`Stopping ${what} failed: ${(error as Error).message}\n`);
      }
    };
    await Promise.all([...this.children].map(([name, child]) => attempt(`the ${name}`, () => stopProcess(child, { timeoutMs: this.config.shutdownGraceMs + 5_000 }))));
    await Promise.all([attempt('PostgreSQL', () => this.postgres?.stop() ?? Promise.resolve()), attempt('the Temporal dev server', () => this.temporal?.stop() ?? Promise.resolve())]);
    this.postgres = undefined;
    this.temporal = undefined;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Last resort from a process 'exit' handler: kill what is left, synchronously. */
  killNow(): void {
    for (const child of this.children.values()) if (!hasExited(child)) child.kill('SIGKILL');
    this.postgres?.killNow();
    this.temporal?.killNow();
  }
}
