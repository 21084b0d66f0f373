import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { describeExit, exitOf, hasExited, spawnChild, stopProcess, type Exit } from './processes';

export interface TemporalDevServerOptions {
  /** The `temporal` CLI, or null to let @temporalio/testing download and run its own. */
  cli: string | null;
  ip: string;
  port: number;
  /** The Web UI's port; null runs headless. */
  uiPort: number | null;
  /** The SQLite file that keeps the server's state across runs. */
  dbFilename: string;
  namespace: string;
  /** Where the server's own output goes (CLI only). */
  logFile: string;
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  address: string;
  namespace: string;
  uiUrl: string | null;
  /** Settles if the server exits without being asked to. */
  unexpectedExit: Promise<string>;
  stop(): Promise<void>;
  /** Last resort from a process 'exit' handler: kill at once, synchronously. */
  killNow(): void;
}

export class TemporalStartError extends Error {}

const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];
const STOP_TIMEOUT_MS = 20_000;

/**
 * Starts `temporal server start-dev` with the project's search attributes registered and waits
 * until it answers on gRPC with those attributes in place.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true });
  return options.cli ? startWithCli(options, options.cli) : startWithSdk(options);
}

async function startWithCli(options: TemporalDevServerOptions, cli: string): Promise<TemporalDevServer> {
  const address = `${options.ip}:${options.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', options.ip,
    '--port', String(options.port),
    '--db-filename', options.dbFilename,
    '--log-level', 'warn',
    ...SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.namespace === 'default' ? [] : ['--namespace', options.namespace]),
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
  ];
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = fs.openSync(options.logFile, 'a');
  fs.writeSync(logFd, `\n--- ${new Date().toISOString()} ${cli} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    // A process group of its own: a Ctrl-C in the terminal leaves it to stop(), after its clients.
    child = spawnChild(cli, args, { stdio: ['ignore', logFd, logFd], detached: true });
  } finally {
    fs.closeSync(logFd);
  }
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new TemporalStartError(`could not run ${cli}: ${error.message}`, { cause: error }))));
  spawnFailed.catch(() => undefined);

  // Should this process exit without stop() (a crash, process.exit()), do not leave the server behind.
  const killNow = (): void => {
    if (!hasExited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killNow);
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await stopProcess(child, { signal: 'SIGTERM', timeoutMs: STOP_TIMEOUT_MS });
    process.removeListener('exit', killNow);
  };
  const exited = exitOf(child);
  const unexpectedExit = exited.then((exit: Exit) => {
    if (stopping) return new Promise<string>(() => undefined);
    return `the Temporal dev server ${describeExit(exit)} (see ${options.logFile})`;
  });

  try {
    await Promise.race([
      waitUntilReady(address, options.namespace, options.readyTimeoutMs ?? 60_000, () => hasExited(child)),
      spawnFailed,
    ]);
  } catch (error) {
    const exitedOnItsOwn = hasExited(child);
    await stop();
    const detail = exitedOnItsOwn ? `; its log ends with:\n${tail(options.logFile, 15)}` : '';
    throw new TemporalStartError(`${(error as Error).message}${detail}`, { cause: error });
  }
  return {
    address,
    namespace: options.namespace,
    uiUrl: options.uiPort === null ? null : `http://${options.ip}:${options.uiPort}`,
    unexpectedExit,
    stop,
    killNow,
  };
}

async function startWithSdk(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: options.ip,
        port: options.port,
        ui: options.uiPort !== null,
        ...(options.uiPort === null ? {} : { uiPort: options.uiPort }),
        dbFilename: options.dbFilename,
        namespace: options.namespace,
        log: { format: 'pretty', level: 'warn' },
        searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => defineSearchAttributeKey(name, SDK_TYPES[type])),
        extraArgs: SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
      },
    });
  } catch (error) {
    throw new TemporalStartError(
      `no Temporal CLI was found and the SDK could not download its dev server (${(error as Error).message}). ` +
        'Install Go so `npm start` can build the CLI, or set TEMPORAL_CLI to a `temporal` binary.',
      { cause: error },
    );
  }
  const address = `${options.ip}:${options.port}`;
  await waitUntilReady(address, options.namespace, options.readyTimeoutMs ?? 60_000, () => false);
  return {
    address,
    namespace: options.namespace,
    uiUrl: options.uiPort === null ? null : `http://${options.ip}:${options.uiPort}`,
    unexpectedExit: new Promise<string>(() => undefined),
    stop: () => env.teardown(),
    killNow: () => undefined,
  };
}

const SDK_TYPES: Record<(typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES], SearchAttributeType> = {
  Keyword: SearchAttributeType.KEYWORD,
  Bool: SearchAttributeType.BOOL,
};

/**
 * Polls until the frontend answers, the namespace exists and our search attributes are listed.
 * Bounded by `timeoutMs`; gives up at once if `gone()` says the server process has exited.
 */
async function waitUntilReady(address: string, namespace: string, timeoutMs: number, gone: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (gone()) throw new TemporalStartError(`the Temporal dev server exited while starting (${lastProblem})`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: '2s' });
      await connection.workflowService.describeNamespace({ namespace });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !customAttributes?.[name]);
      if (missing.length === 0) return;
      lastProblem = `search attributes not registered yet: ${missing.join(', ')}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    } finally {
      await connection?.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new TemporalStartError(`the Temporal dev server at ${address} was not ready after ${Math.round(timeoutMs / 1000)}s (${lastProblem})`);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((line) => `  | ${line}`).join('\n');
  } catch {
    return '  (no log)';
  }
}
