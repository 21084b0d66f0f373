/**
 * Root hooks for every test run (loaded by .mocharc.json): one Temporal dev server, one database
 * schema, one worker and one API per run, all real, all on free ports, all torn down afterwards.
 *
 * Tooling variables (read here, not by the app): TEMPORAL_CLI (else found or built by
 * scripts/temporal-cli.mjs, else the SDK downloads a dev server), TEST_DATABASE_URL (else an
 * embedded PostgreSQL in a temp dir), KEEP_TEST_SCHEMA (keep the schema for a look afterwards),
 * TEST_LOG_LEVEL (the app's log level; silent by default).
 *
 * The pages sign in through the local identity provider (scripts/lib/dev-identity-provider.ts),
 * started here on a free port and configured for the app as any OIDC provider would be.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { bundleWorkflows, createAppealWorker, type AppealWorker } from '../worker/worker';
import { startServer, type RunningServer } from '../api/server';
import { signDevToken } from '../api/auth/dev-tokens';
import type { Role } from '../domain/appeal';
import { ensureTemporalCli } from '../scripts/temporal-cli.mjs';
import { startTemporalDevServer, type TemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../scripts/lib/embedded-postgres';
import { findFreePort } from '../scripts/lib/ports';
import { registerDevArbiters, startDevIdentityProvider, type DevIdentityProvider } from '../scripts/lib/dev-identity-provider';
import { newCheckpointKeyPem } from '../domain/checkpoint';
import { postLogoutRedirectUrl } from '../web/oidc';

export const TEST_JWT_SECRET = 'test-secret';
const NAMESPACE = 'default';
const HOST = '127.0.0.1';
const SETUP_TIMEOUT_MS = 180_000;

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON (including problem+json), else the text. */
  body: T;
}

export interface ApiRequest {
  token?: string;
  /** An object is sent as JSON; a string is sent as is (for malformed-input tests); FormData as multipart/form-data. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Harness {
  config: Config;
  dataSource: DataSource;
  client: Client;
  connection: NativeConnection;
  /** The workflow code, bundled once per run and shared by every worker of the tests. */
  workflowBundle: WorkflowBundleWithSourceMap;
  apiUrl: string;
  /** The pages: the same server as the API. */
  webUrl: string;
  /** The local OIDC provider the pages sign in through, and its accounts. */
  identityProvider: Pick<DevIdentityProvider, 'issuerUrl' | 'accounts'>;
  taskQueue: string;
  namespace: string;
  temporalAddress: string;
  schema: string;
  tokenFor: (role: Role, sub: string, department?: string) => Promise<string>;
  api: <T = any>(method: string, urlPath: string, request?: ApiRequest) => Promise<ApiResponse<T>>;
}

interface State {
  tempDir?: string;
  temporal?: TemporalDevServer;
  postgres?: EmbeddedPostgres;
  dataSource?: DataSource;
  schema?: string;
  connection?: NativeConnection;
  clientConnection?: Connection;
  server?: RunningServer;
  identityProvider?: DevIdentityProvider;
  /** The harness's worker and its run() promise. */
  worker?: { worker: AppealWorker; running: Promise<void> };
  harness?: Harness;
}

const state: State = {};

/** What test support modules started and the harness must stop at the end (a browser). */
const extraTeardowns: (() => Promise<void>)[] = [];
export function onTearDown(stop: () => Promise<void>): void {
  extraTeardowns.push(stop);
}

/** The running harness; only valid inside tests (after the root beforeAll). */
export function harness(): Harness {
  if (!state.harness) throw new Error('the test harness is not running (did the root beforeAll hook fail?)');
  return state.harness;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(SETUP_TIMEOUT_MS);
    await setUp();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(SETUP_TIMEOUT_MS);
    await tearDown();
  },
};

async function setUp(): Promise<void> {
  installRuntime();
  stopOnSignals();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutuals-appeals-test-'));
  // The embedded server runs as the `postgres` user, which must be able to enter this folder.
  fs.chmodSync(tempDir, 0o755);
  state.tempDir = tempDir;
  const suffix = crypto.randomBytes(4).toString('hex');
  const taskQueue = `appeals-test-${suffix}`;
  const schema = `test_${suffix}`;

  // Both start together; if one fails, wait for the other so teardown finds and stops it.
  const [temporalStart, databaseStart] = await Promise.allSettled([startTemporal(tempDir), startDatabase(tempDir)]);
  if (temporalStart.status === 'rejected') throw temporalStart.reason;
  if (databaseStart.status === 'rejected') throw databaseStart.reason;
  const temporal = temporalStart.value;
  const databaseUrl = databaseStart.value;

  const webPort = await findFreePort(HOST);
  const webUrl = `http://${HOST}:${webPort}`;
  const redirectUrl = `${webUrl}/sign-in/callback`;
  const clientSecret = crypto.randomBytes(16).toString('hex');
  const identityProvider = await startDevIdentityProvider({
    host: HOST,
    port: 0,
    clientId: 'mutuals-appeals-test',
    clientSecret,
    redirectUrl,
    postLogoutRedirectUrl: postLogoutRedirectUrl(redirectUrl),
  });
  state.identityProvider = identityProvider;

  const config = loadConfig({
    ...inheritedEnv(),
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    DATA_DIR: path.join(tempDir, 'data'),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: taskQueue,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OIDC_ISSUER_URL: identityProvider.issuerUrl,
    OIDC_CLIENT_ID: 'mutuals-appeals-test',
    OIDC_CLIENT_SECRET: clientSecret,
    OIDC_REDIRECT_URL: redirectUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    CHECKPOINT_SIGNING_KEY: newCheckpointKeyPem(),
  });

  const dataSource = createDataSource({ url: databaseUrl, schema });
  state.schema = schema;
  state.dataSource = dataSource;
  await migrate(dataSource);
  await registerDevArbiters(dataSource);

  const connection = await NativeConnection.connect({ address: temporal.address });
  state.connection = connection;
  const clientConnection = await Connection.connect({ address: temporal.address });
  state.clientConnection = clientConnection;
  const client = new Client({ connection: clientConnection, namespace: NAMESPACE });

  // Bundled once, shared by every worker of the run.
  const workflowBundle = await bundleWorkflows();
  const worker = await createAppealWorker({ connection, namespace: NAMESPACE, taskQueue, dataSource, config, workflowBundle });
  state.worker = { worker, running: worker.run() };

  const server = await startServer({ port: webPort, dataSource, client, config });
  state.server = server;
  const apiUrl = server.url.replace(/\/$/, '');

  state.harness = {
    config,
    dataSource,
    client,
    connection,
    workflowBundle,
    apiUrl,
    webUrl,
    identityProvider: { issuerUrl: identityProvider.issuerUrl, accounts: identityProvider.accounts },
    taskQueue,
    namespace: NAMESPACE,
    temporalAddress: temporal.address,
    schema,
    tokenFor: (role, sub, department) =>
      signDevToken(TEST_JWT_SECRET, { role, sub, department }, { issuer: config.auth.issuer, audience: config.auth.audience }),
    api: (method, urlPath, request) => callApi(apiUrl, method, urlPath, request),
  };
}

/**
 * The Temporal runtime: SDK logs at WARN and above only when TEST_LOG_LEVEL asks for them, and no
 * signal handlers of its own (a Ctrl-C must tear the harness down, not just stop the workers).
 */
function installRuntime(): void {
  const level = SDK_LOG_LEVELS[process.env.TEST_LOG_LEVEL ?? 'silent'] ?? 'ERROR';
  try {
    Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [] });
  } catch {
    // Something already created the runtime (with its defaults); keep it.
  }
}

const SDK_LOG_LEVELS: Record<string, LogLevel> = {
  silent: 'ERROR', fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE',
};

/** Ctrl-C or SIGTERM during a run: tear everything down rather than leave servers behind. */
function stopOnSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n[harness] ${signal}: tearing down ...\n`);
      tearDown().then(
        () => process.exit(code),
        (error: unknown) => {
          process.stderr.write(`[harness] ${String(error)}\n`);
          process.exit(code);
        },
      );
    });
  }
}


async function startTemporal(tempDir: string): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli({ log: (line) => process.stderr.write(`[harness] ${line}\n`) });
  const temporal = await startTemporalDevServer({
    cli,
    ip: HOST,
    port: await findFreePort(HOST),
    uiPort: null,
    dbFilename: path.join(tempDir, 'temporal.sqlite'),
    namespace: NAMESPACE,
    logFile: path.join(tempDir, 'temporal.log'),
  });
  state.temporal = temporal;
  return temporal;
}

async function startDatabase(tempDir: string): Promise<string> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return given;
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(tempDir, 'postgres'),
    port: await findFreePort(HOST),
    logFile: path.join(tempDir, 'postgres.log'),
    persistent: false,
  });
  state.postgres = postgres;
  await postgres.ensureDatabase('appeals_test');
  return postgres.url('appeals_test');
}

/**
 * The environment minus what would point the app somewhere other than the harness's own
 * servers (a real cluster's TEMPORAL_*, a real identity provider's AUTH_*, DATABASE_*).
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(TEMPORAL_|AUTH_|DATABASE_|OIDC_|SESSION_|CHECKPOINT_|PORT$|DATA_DIR$|SMTP_URL$|WEBHOOK_)/.test(key)),
  );
}

async function callApi(apiUrl: string, method: string, urlPath: string, request: ApiRequest = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | FormData | undefined;
  if (request.body instanceof FormData) {
    body = request.body;
  } else if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${apiUrl}${urlPath}`, { method, headers, body });
  const text = await response.text();
  const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
}

async function stopWorker({ worker, running }: { worker: AppealWorker; running: Promise<void> }): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
}

/** Stops whatever setUp() got as far as starting. Safe to call twice (a signal during afterAll). */
async function tearDown(): Promise<void> {
  const problems: unknown[] = [];
  const step = async (work: () => unknown): Promise<void> => {
    try {
      await work();
    } catch (error) {
      problems.push(error);
    }
  };
  const { server, identityProvider, clientConnection, connection, dataSource, schema, postgres, temporal, tempDir } = state;
  Object.assign(state, { harness: undefined, server: undefined, identityProvider: undefined, clientConnection: undefined, connection: undefined, dataSource: undefined, postgres: undefined, temporal: undefined, tempDir: undefined });

  for (const stop of extraTeardowns.splice(0)) await step(stop);
  await step(() => server?.close());
  await step(() => identityProvider?.close());
  if (state.worker) await step(() => stopWorker(state.worker as NonNullable<State['worker']>));
  await step(() => clientConnection?.close());
  await step(() => connection?.close());
  if (dataSource?.isInitialized) {
    if (schema && !process.env.KEEP_TEST_SCHEMA) await step(() => dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    else if (schema) process.stderr.write(`[harness] kept schema ${schema} (KEEP_TEST_SCHEMA)\n`);
    await step(() => dataSource.destroy());
  }
  await step(() => Promise.all([postgres?.stop(), temporal?.stop()]));
  if (tempDir) await step(() => fs.rmSync(tempDir, { recursive: true, force: true }));
  if (problems.length > 0) throw new AggregateError(problems, `tearing the test harness down failed: ${problems.map(String).join('; ')}`);
}
