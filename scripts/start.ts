/**
 * `npm start`: the whole engine on one machine.
 *
 * Starts what is not configured (a Temporal dev server unless TEMPORAL_ADDRESS is set, an embedded
 * PostgreSQL unless DATABASE_URL is set; both keep their data under DATA_DIR, `.data/`, except
 * when PostgreSQL's `postgres` user cannot enter it: see postgresDataDir()), migrates
 * the database, runs the worker and the API as child processes, waits until the API is ready and
 * prints where everything is. Ctrl-C (SIGINT) or SIGTERM stops it all in order: API and worker,
 * then PostgreSQL and Temporal. If any part dies on its own, everything stops and the exit code is 1.
 *
 * Unless OIDC_ISSUER_URL is set, it also runs the local identity provider the pages sign in
 * through (scripts/lib/dev-identity-provider.ts) and registers its dev arbiters.
 *
 * Variables of its own (besides config.ts's): EMBEDDED_PG_PORT (5488), EMBEDDED_TEMPORAL_PORT
 * (7233), EMBEDDED_TEMPORAL_UI_PORT (8233), EMBEDDED_OIDC_PORT (3001), TEMPORAL_CLI.
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { checkpointKeyOf, ConfigError, loadConfig, type Config } from '../config';
import { newCheckpointKeyPem } from '../domain/checkpoint';
import { createDataSource, migrate } from '../db/data-source';
import { signDevToken } from '../api/auth/dev-tokens';
import { ensureTemporalCli, TemporalCliError } from './temporal-cli.mjs';
import { startTemporalDevServer, TemporalStartError, type TemporalDevServer } from './lib/temporal-dev-server';
import { canReach, EmbeddedPostgresError, hasCluster, makeOpenFolder, serverUser, startEmbeddedPostgres, type EmbeddedPostgres } from './lib/embedded-postgres';
import { firstTakenPort, type PortNeed } from './lib/ports';
import { describeExit, exitOf, hasExited, spawnPrefixed, stopProcess } from './lib/processes';
import { devSecretFile, keptSecret, readDevSecret } from './lib/dev-secret';
import { registerDevArbiters, startDevIdentityProvider, type DevIdentityProvider } from './lib/dev-identity-provider';
import { postLogoutRedirectUrl } from '../web/oidc';

/** An expected failure: its message is the whole story, no stack trace. */
class StartError extends Error {}

const HOST = '127.0.0.1';
const DATABASE = 'appeals';
const API_READY_TIMEOUT_MS = 120_000;
const WORKER_READY_TIMEOUT_MS = 60_000;
/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW */
const WORKFLOW_TASK_QUEUE = 1;
/** On top of SHUTDOWN_GRACE_SECONDS, how long the API and the worker get to stop before they are killed. */
const CHILD_STOP_SLACK_MS = 5_000;
/** Where PostgreSQL's data goes when its server's user cannot enter DATA_DIR (see postgresDataDir()). */
const OUTSIDE_DATA_HOME = '/var/lib/mutuals-appeals';
const root = path.resolve(__dirname, '..');

interface Settings {
  config: Config;
  /** Start our own Temporal dev server (no TEMPORAL_ADDRESS, profile or config file given). */
  ownTemporal: boolean;
  /** Start our own PostgreSQL (no DATABASE_URL given). */
  ownPostgres: boolean;
  temporalPort: number;
  temporalUiPort: number;
  postgresPort: number;
  /** Run the local identity provider (no OIDC_ISSUER_URL given), on this port. */
  ownIdentityProvider: boolean;
  identityProviderPort: number;
}

/** What is running, so shutdown (and a last-resort exit handler) can stop it. */
interface Running {
  temporal?: TemporalDevServer;
  postgres?: EmbeddedPostgres;
  identityProvider?: DevIdentityProvider;
  children: Map<string, ChildProcess>;
}

const running: Running = { children: new Map() };
/** Why we are stopping (a signal, the parent gone), once a stop has been asked for. */
let stopRequested: string | undefined;
let onStopRequested: () => void = () => undefined;
const stopRequestedPromise = new Promise<void>((resolve) => {
  onStopRequested = resolve;
});

function requestStop(reason: string): void {
  if (stopRequested) return; // one shutdown; the same Ctrl-C can arrive twice (terminal and bootstrap)
  stopRequested = reason;
  say(`\n${reason}: stopping ...`);
  onStopRequested();
}

/** Stop on SIGINT/SIGTERM/SIGHUP, and when whoever started us (npm, the bootstrap) is gone. */
function watchForStop(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => requestStop(`Received ${signal}`));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) requestStop('The parent process exited');
  }, 1000).unref();
  // A closed terminal or pipe: stop in order rather than crash on the next line written.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => requestStop('Output closed'));
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new StartError(error.message);
    throw error;
  }
  if (config.port === 0) throw new StartError('PORT=0 is for tests; `npm start` needs a fixed port for the API (default 3000).');
  const temporalPort = portSetting(env, 'EMBEDDED_TEMPORAL_PORT', 7233);
  return {
    config,
    ownTemporal: !config.temporal.addressGiven && !env.TEMPORAL_PROFILE && !env.TEMPORAL_CONFIG_FILE,
    ownPostgres: !config.databaseUrl,
    temporalPort,
    temporalUiPort: portSetting(env, 'EMBEDDED_TEMPORAL_UI_PORT', 8233),
    postgresPort: portSetting(env, 'EMBEDDED_PG_PORT', 5488),
    ownIdentityProvider: !config.web.oidc,
    identityProviderPort: portSetting(env, 'EMBEDDED_OIDC_PORT', 3001),
  };
}

function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartError(`${name}=${raw} is not a port number (1-65535).`);
  return port;
}

async function checkPorts(settings: Settings): Promise<void> {
  const needs: PortNeed[] = [{ port: settings.config.port, what: 'the API', howToChange: 'set PORT to another port' }];
  if (settings.ownTemporal) {
    needs.push(
      { port: settings.temporalPort, what: 'the Temporal dev server', howToChange: 'set EMBEDDED_TEMPORAL_PORT to another port, or TEMPORAL_ADDRESS to use a Temporal server that is already running' },
      { port: settings.temporalUiPort, what: 'the Temporal Web UI', howToChange: 'set EMBEDDED_TEMPORAL_UI_PORT to another port' },
    );
  }
  if (settings.ownPostgres) {
    needs.push({ port: settings.postgresPort, what: 'the embedded PostgreSQL', howToChange: 'set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use your own PostgreSQL' });
  }
  if (settings.ownIdentityProvider) {
    needs.push({ port: settings.identityProviderPort, what: 'the local identity provider', howToChange: 'set EMBEDDED_OIDC_PORT to another port, or OIDC_ISSUER_URL to sign in with your own provider' });
  }
  const taken = await firstTakenPort(needs);
  if (taken) {
    throw new StartError(`Port ${taken.port}, needed for ${taken.what}, is already in use (is another \`npm start\` running?): ${taken.howToChange}.`);
  }
}

async function startTemporal(settings: Settings): Promise<string> {
  const cli = await ensureTemporalCli({ log: (line) => say(line) });
  const temporalDir = path.join(settings.config.dataDir, 'temporal');
  say(`Starting the Temporal dev server on ${HOST}:${settings.temporalPort} (data: ${temporalDir}) ...`);
  running.temporal = await startTemporalDevServer({
    cli,
    ip: HOST,
    port: settings.temporalPort,
    uiPort: settings.temporalUiPort,
    dbFilename: path.join(temporalDir, 'temporal.sqlite'),
    namespace: settings.config.temporal.namespace,
    logFile: path.join(temporalDir, 'server.log'),
  });
  return running.temporal.address;
}

async function startPostgres(settings: Settings): Promise<string> {
  const dataDir = postgresDataDir(settings.config.dataDir);
  if (!isInside(dataDir, settings.config.dataDir)) {
    say(`PostgreSQL runs as the \`postgres\` user, which cannot enter ${settings.config.dataDir}: its data (and binaries, if needed) are kept in ${path.dirname(dataDir)}.`);
  }
  say(`${hasCluster(dataDir) ? 'Starting' : 'Initialising and starting'} PostgreSQL on ${HOST}:${settings.postgresPort} (data: ${dataDir}) ...`);
  running.postgres = await startEmbeddedPostgres({
    dataDir,
    port: settings.postgresPort,
    logFile: path.join(settings.config.dataDir, 'postgres.log'),
    persistent: true,
  });
  await running.postgres.ensureDatabase(DATABASE);
  return running.postgres.url(DATABASE);
}

/**
 * DATA_DIR/postgres, unless the server's user (`postgres`, when we are root) cannot enter DATA_DIR
 * (a clone under root's 0700 home): then a root-owned folder under OUTSIDE_DATA_HOME, named after
 * DATA_DIR. A cluster that exists already in either place is used where it is.
 */
function postgresDataDir(dataDir: string): string {
  const inside = path.join(dataDir, 'postgres');
  const user = serverUser();
  if (!user) return inside;
  const digest = crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const name = path.basename(path.dirname(dataDir)).replace(/[^\w.-]/g, '_');
  const outside = path.join(OUTSIDE_DATA_HOME, `${name}-${digest}`, 'postgres');
  if (hasCluster(inside) && canReach(user, inside)) return inside;
  if (hasCluster(outside)) return outside;
  if (!hasCluster(inside) && canReach(user, dataDir)) return inside;
  makeOpenFolder(path.dirname(outside));
  return outside;
}

const isInside = (file: string, folder: string): boolean => !path.relative(folder, file).startsWith('..');

/** AUTH_JWT_SECRET, else the one kept in DATA_DIR/jwt-secret (made on first start). */
function jwtSecret(config: Config): string | undefined {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  if (config.auth.jwksUrl) return undefined;
  const kept = readDevSecret(config);
  if (kept) return kept;
  const file = devSecretFile(config);
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  say(`Generated a JWT secret for local tokens: ${file}`);
  return secret;
}

/**
 * Without CHECKPOINT_SIGNING_KEY(_FILE), the key kept in DATA_DIR/checkpoint-signing-key.pem (made on
 * first start, readable by this user only) for the API and the worker: never in the database.
 */
function checkpointKeySettings(config: Config): NodeJS.ProcessEnv {
  if (config.checkpoints.signingKey) return {};
  const file = path.join(config.dataDir, 'checkpoint-signing-key.pem');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, newCheckpointKeyPem(), { mode: 0o600 });
    say(`Generated a checkpoint signing key: ${file}`);
  }
  try {
    checkpointKeyOf(undefined, file);
  } catch (error) {
    throw new StartError((error as Error).message, { cause: error });
  }
  return { CHECKPOINT_SIGNING_KEY_FILE: file };
}

async function migrateDatabase(url: string, schema: string, withDevArbiters: boolean): Promise<void> {
  const dataSource = createDataSource({ url, schema });
  try {
    await migrate(dataSource);
    if (withDevArbiters) await registerDevArbiters(dataSource);
  } catch (error) {
    throw new StartError(`Migrating the database failed: ${(error as Error).message}`, { cause: error });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

function spawnApp(name: 'worker' | 'api', entry: string, env: NodeJS.ProcessEnv): void {
  const child = spawnPrefixed(name, process.execPath, ['--import', 'tsx', entry], { cwd: root, env });
  running.children.set(name, child);
}

/** Resolves when any part stops on its own, with a sentence saying which. */
function firstUnexpectedExit(): Promise<string> {
  const watches: Promise<string>[] = [...running.children].map(([name, child]) =>
    exitOf(child).then((exit) => (stopRequested ? new Promise<string>(() => undefined) : `the ${name} ${describeExit(exit)}`)),
  );
  if (running.temporal) watches.push(running.temporal.unexpectedExit);
  if (running.postgres) watches.push(running.postgres.unexpectedExit);
  return Promise.race(watches);
}

/** Polls GET /readyz until it answers 200; gives up on a timeout, a stop request or a dead part. */
async function waitForApi(apiUrl: string, failed: Promise<string>): Promise<void> {
  let failure: string | undefined;
  void failed.then((reason) => {
    failure = reason;
  });
  const deadline = Date.now() + API_READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (failure) throw new StartError(`${failure} before the API was ready.`);
    if (stopRequested) return;
    try {
      const response = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new StartError(`The API did not become ready within ${API_READY_TIMEOUT_MS / 1000}s (last answer from ${apiUrl}/readyz: ${last}).`);
}

/**
 * Polls the task queue until our worker child is among its pollers (pollers of an earlier run can
 * linger, so match the worker's default identity, `<pid>@<host>`). False on a timeout.
 */
async function waitForWorker(config: Config, temporalAddress: string | undefined): Promise<boolean> {
  const worker = running.children.get('worker');
  if (!worker?.pid) return false;
  const identityPrefix = `${worker.pid}@`;
  const connection = await Connection.connect({ ...config.temporal.connectionOptions, ...(temporalAddress ? { address: temporalAddress } : {}) });
  try {
    const deadline = Date.now() + WORKER_READY_TIMEOUT_MS;
    while (Date.now() < deadline && !stopRequested && !hasExited(worker)) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: WORKFLOW_TASK_QUEUE,
      });
      if (pollers?.some((poller) => poller.identity?.startsWith(identityPrefix))) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  } finally {
    await connection.close();
  }
}

/**
 * What the API needs for the pages' sign-in: a session secret (SESSION_SECRET, else kept in
 * DATA_DIR/session-secret) and, unless OIDC_ISSUER_URL is set, the local identity provider.
 */
async function signInSettings(settings: Settings): Promise<NodeJS.ProcessEnv> {
  const { config } = settings;
  const env: NodeJS.ProcessEnv = { SESSION_SECRET: config.web.sessionSecret ?? keptSecret(config, 'session-secret') };
  if (!settings.ownIdentityProvider) return env;
  const redirectUrl = `http://${HOST}:${config.port}/sign-in/callback`;
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  say(`Starting the local identity provider on ${HOST}:${settings.identityProviderPort} ...`);
  running.identityProvider = await startDevIdentityProvider({
    host: HOST,
    port: settings.identityProviderPort,
    clientId: 'mutuals-appeals-local',
    clientSecret,
    redirectUrl,
    postLogoutRedirectUrl: postLogoutRedirectUrl(redirectUrl),
  });
  return { ...env, OIDC_ISSUER_URL: running.identityProvider.issuerUrl, OIDC_CLIENT_ID: 'mutuals-appeals-local', OIDC_CLIENT_SECRET: clientSecret, OIDC_REDIRECT_URL: redirectUrl };
}

async function printBanner(settings: Settings, apiUrl: string, secret: string | undefined): Promise<void> {
  const { config } = settings;
  say();
  say('The mutuals appeals engine is running.');
  say(`  Web          ${apiUrl}/`);
  say(`  API          ${apiUrl}/v1`);
  say(`  API docs     ${apiUrl}/docs`);
  if (running.temporal?.uiUrl) say(`  Temporal UI  ${running.temporal.uiUrl}`);
  say(`  Data         ${config.dataDir}`);
  if (running.postgres && !isInside(running.postgres.dataDir, config.dataDir)) say(`  PostgreSQL   ${running.postgres.dataDir}`);
  const provider = running.identityProvider;
  if (provider) {
    say();
    say(`Sign in at ${apiUrl}/ through the local identity provider (${provider.issuerUrl}) as one of:`);
    for (const account of provider.accounts) {
      say(`  ${account.sub.padEnd(14)} ${account.name.padEnd(13)} ${account.role}${account.department ? ` (${account.department})` : ''}`);
    }
  }
  if (secret) {
    const token = await signDevToken(secret, { sub: 'caseworker-1', role: 'caseworker' }, { issuer: config.auth.issuer, audience: config.auth.audience });
    say();
    say('A caseworker token (12 hours; more with `npm run token -- --role arbiter --sub arb-1`):');
    say(`  export TOKEN=${token}`);
    say(`  curl -H "Authorization: Bearer $TOKEN" ${apiUrl}/v1/appeals`);
  }
  say();
  say('Press Ctrl-C to stop.');
}

/** Stops everything that runs, newest first: API and worker, then PostgreSQL and Temporal. */
async function shutDown(config: Config): Promise<void> {
  const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      process.stderr.write(`Stopping ${what} failed: ${(error as Error).message}\n`);
    }
  };
  const children = [...running.children].filter(([, child]) => !hasExited(child));
  if (children.length > 0) say(`Stopping ${children.map(([name]) => name).join(' and ')} ...`);
  await Promise.all(children.map(([name, child]) => attempt(`the ${name}`, () => stopProcess(child, { signal: 'SIGTERM', timeoutMs: config.shutdownGraceMs + CHILD_STOP_SLACK_MS }))));
  const services: Promise<void>[] = [];
  if (running.postgres) {
    say('Stopping PostgreSQL ...');
    services.push(attempt('PostgreSQL', () => running.postgres?.stop() ?? Promise.resolve()));
  }
  if (running.temporal) {
    say('Stopping the Temporal dev server ...');
    services.push(attempt('the Temporal dev server', () => running.temporal?.stop() ?? Promise.resolve()));
  }
  if (running.identityProvider) services.push(attempt('the local identity provider', () => running.identityProvider?.close() ?? Promise.resolve()));
  await Promise.all(services);
  running.identityProvider = undefined;
  running.postgres = undefined;
  running.temporal = undefined;
}

/** If this process exits without shutDown() having finished, do not leave servers behind. */
function killWhatIsLeft(): void {
  for (const child of running.children.values()) if (!hasExited(child)) child.kill('SIGKILL');
  running.postgres?.killNow();
  running.temporal?.killNow();
}

async function main(): Promise<number> {
  watchForStop();
  process.on('exit', killWhatIsLeft);

  const settings = readSettings(process.env);
  const { config } = settings;
  await checkPorts(settings);
  fs.mkdirSync(config.dataDir, { recursive: true });

  try {
    const started = Date.now();
    // Temporal and PostgreSQL start side by side; wait for both even if one fails, so that
    // shutDown() knows about both.
    const [temporalStart, postgresStart] = await Promise.allSettled([
      settings.ownTemporal ? startTemporal(settings) : Promise.resolve(undefined),
      settings.ownPostgres ? startPostgres(settings) : Promise.resolve(config.databaseUrl),
    ]);
    if (temporalStart.status === 'rejected') throw temporalStart.reason;
    if (postgresStart.status === 'rejected') throw postgresStart.reason;
    const databaseUrl = postgresStart.value;
    if (!databaseUrl) throw new StartError('No database: set DATABASE_URL or leave it unset for the embedded PostgreSQL.');
    if (stopRequested) return 0;

    say(`Migrating the database (schema ${config.databaseSchema}) ...`);
    await migrateDatabase(databaseUrl, config.databaseSchema, settings.ownIdentityProvider);
    if (stopRequested) return 0;

    const secret = jwtSecret(config);
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: config.dataDir,
      PORT: String(config.port),
      ...(secret ? { AUTH_JWT_SECRET: secret } : {}),
      ...checkpointKeySettings(config),
      ...(temporalStart.value ? { TEMPORAL_ADDRESS: temporalStart.value, TEMPORAL_NAMESPACE: config.temporal.namespace } : {}),
      ...(await signInSettings(settings)),
    };
    say('Starting the worker and the API ...');
    spawnApp('worker', path.join('worker', 'main.ts'), childEnv);
    spawnApp('api', path.join('api', 'main.ts'), childEnv);
    const unexpected = firstUnexpectedExit();
    const apiUrl = `http://${HOST}:${config.port}`;
    await waitForApi(apiUrl, unexpected);
    if (stopRequested) return 0;
    if (!(await waitForWorker(config, temporalStart.value))) {
      if (stopRequested) return 0;
      process.stderr.write(`Warning: the worker is not polling task queue ${config.temporal.taskQueue} yet; appeals will wait for it.\n`);
    }

    say(`Ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
    await printBanner(settings, apiUrl, secret);
    const reason = await Promise.race([stopRequestedPromise, unexpected]);
    if (reason) {
      process.stderr.write(`\nStopping everything: ${reason}.\n`);
      return 1;
    }
    return 0;
  } finally {
    await shutDown(config);
    say('Stopped.');
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A failure to start is one line, never a stack trace; what we did not foresee says so.
    const expected = error instanceof StartError || error instanceof TemporalCliError || error instanceof TemporalStartError || error instanceof EmbeddedPostgresError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${expected ? message : `npm start failed unexpectedly: ${message}`}\n`);
    process.exitCode = 1;
  },
);
